import { useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import type { Me } from '../api/types';
import { ASSIGNMENT_OVERSIGHT_ROLES, hasRole, POLICY_EDIT_ROLES } from '../assignment-labels';
import { CASE_LIST_ROLES, VISIT_ROLES } from '../case-labels';
import { ARCHIVE_ROLES, CASE_FILE_LIST_ROLES } from '../casefile-labels';
import { CONVENIO_LIST_ROLES, RECONCILIATION_ROLES } from '../convenio-labels';
import { PROPOSAL_REQUEST_ROLES, PROPOSAL_REVIEW_ROLES } from '../proposal-labels';
import { INDICATOR_ROLES } from '../pages/indicators-page';
import { POLICY_READ_ROLES } from '../assignment-labels';
import { AGENCY_REPORT_ROLES } from './report-requests';
import { useCurrentUser, useLogout } from '../session';
import { MAIN_CONTENT_ID, SkipLink } from './skip-link';
import { useFocusOnNavigation } from './use-focus-on-navigation';

interface NavigationLink {
  to: string;
  label: string;
  /** other pages under this link (marked current there too) */
  also?: readonly string[];
}

function navigationLinks(user: Me): NavigationLink[] {
  if (user.role === 'borrower') {
    const links = [{ to: '/', label: 'Inicio' }];
    if (user.scope.creditNumber) {
      links.push({ to: `/creditos/${user.scope.creditNumber}`, label: 'Mi crédito' });
      links.push({ to: '/propuestas', label: 'Solicitar mediación' });
    }
    return links;
  }
  const links: NavigationLink[] = [
    { to: '/', label: 'Inicio' },
    { to: '/creditos', label: 'Cartera' },
  ];
  if (hasRole(user.role, ASSIGNMENT_OVERSIGHT_ROLES)) links.push({ to: '/asignacion', label: 'Asignación' });
  if (user.role === 'agency' || user.role === 'field_agent') links.push({ to: '/cuentas-asignadas', label: 'Cuentas asignadas' });
  // Mediation cases (SPEC §4): the visit (act. 2–4), the work lists, the agency's mediator register (act. 5).
  if (hasRole(user.role, VISIT_ROLES)) links.push({ to: '/visitas', label: 'Visitas' });
  if (hasRole(user.role, CASE_LIST_ROLES)) links.push({ to: '/casos', label: user.role === 'mediator' ? 'Mis casos' : 'Casos' });
  if (user.role === 'agency') links.push({ to: '/mediadores', label: 'Mediadores' });
  // SPEC §6: the signed convenios (acts. 22–27) and the reconciliation of terms and payments.
  if (hasRole(user.role, CONVENIO_LIST_ROLES)) links.push({ to: '/convenios', label: user.role === 'mediator' ? 'Mis convenios' : 'Convenios' });
  if (hasRole(user.role, RECONCILIATION_ROLES)) links.push({ to: '/conciliacion', label: 'Conciliación' });
  // REP-1 and REP-2 as of a date, and the office's report requests (acts. 32–34, DL-17).
  if (hasRole(user.role, AGENCY_REPORT_ROLES)) links.push({ to: '/reportes', label: 'Reportes' });
  // REP-5: the indicators, each role its own scope (SEC-2).
  if (hasRole(user.role, INDICATOR_ROLES)) links.push({ to: '/indicadores', label: 'Indicadores' });
  // SPEC §6 EXP-1..4: the case files (acts. 28–31, 35) and the national archive (acts. 35–36).
  if (hasRole(user.role, CASE_FILE_LIST_ROLES)) links.push({ to: '/expedientes', label: 'Expedientes' });
  if (hasRole(user.role, ARCHIVE_ROLES)) links.push({ to: '/archivo', label: 'Archivo' });
  // ENT-A and ENT-B: who proposes credits, and who reviews every proposal.
  if (hasRole(user.role, PROPOSAL_REQUEST_ROLES) || hasRole(user.role, PROPOSAL_REVIEW_ROLES)) {
    links.push({ to: '/propuestas', label: 'Propuestas' });
  }
  // Operations, auditors and admins read the criteria from the assignment page's policy versions.
  if (hasRole(user.role, POLICY_EDIT_ROLES)) links.push({ to: '/politicas/exclusiones', label: 'Políticas', also: ['/politicas/tipo-convenio'] });
  // SPEC §5: the deadlines, non-working days and remote-session tools; the office edits, the others read.
  if (hasRole(user.role, POLICY_READ_ROLES)) links.push({ to: '/politicas/plazos', label: 'Plazos' });
  return links;
}

/** The frame of every page for a signed-in user: top bar, navigation and main content. */
export function AppLayout() {
  const user = useCurrentUser();
  const logout = useLogout();
  const mainRef = useRef<HTMLElement>(null);
  const location = useLocation();
  useFocusOnNavigation(mainRef);

  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="topbar__brand">
            Cobranza Social
          </Link>
          <div className="topbar__user">
            <p className="topbar__identity" data-testid="topbar-user">
              <span className="topbar__name">{user.fullName}</span>
              <span className="topbar__role">{user.roleLabel}</span>
            </p>
            <button
              type="button"
              className="button button--on-dark"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              Cerrar sesión
            </button>
          </div>
        </div>
        <nav className="mainnav" aria-label="Principal">
          <ul className="mainnav__list">
            {navigationLinks(user).map((link) => (
              <li key={link.to}>
                {link.also?.some((path) => location.pathname.startsWith(path)) ? (
                  <Link to={link.to} className="mainnav__link" aria-current="page">
                    {link.label}
                  </Link>
                ) : (
                  <NavLink to={link.to} end={link.to === '/'} className="mainnav__link">
                    {link.label}
                  </NavLink>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id={MAIN_CONTENT_ID} ref={mainRef} tabIndex={-1} className="page">
        <Outlet />
      </main>
    </>
  );
}
