import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listNotices } from '../api/client';
import type { Me, Notice } from '../api/types';
import { ASSIGNMENT_OVERSIGHT_ROLES, hasRole } from '../assignment-labels';
import { CASE_LIST_ROLES, VISIT_ROLES } from '../case-labels';
import { ARCHIVE_ROLES, CASE_FILE_LIST_ROLES } from '../casefile-labels';
import { CONVENIO_LIST_ROLES, RECONCILIATION_ROLES } from '../convenio-labels';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInstantDate } from '../format';
import { PROPOSAL_REQUEST_ROLES, PROPOSAL_REVIEW_ROLES } from '../proposal-labels';
import { describePortfolioSearch, describeScope } from '../scope';
import { useCurrentUser } from '../session';

interface QuickLink {
  to: string;
  title: string;
  description: string;
  testId: string;
}

function quickLinks(user: Me): QuickLink[] {
  if (user.role === 'borrower') {
    const creditNumber = user.scope.creditNumber;
    if (!creditNumber) return [];
    return [
      {
        to: `/creditos/${creditNumber}`,
        title: 'Consultar mi crédito',
        description: `Vea el saldo, la mensualidad y los datos de su crédito ${creditNumber}.`,
        testId: 'quick-link-my-credit',
      },
      {
        to: '/propuestas',
        title: 'Solicitar mediación',
        description: `Pida que su crédito ${creditNumber} se revise para el servicio de mediación y consulte la respuesta.`,
        testId: 'quick-link-request-mediation',
      },
    ];
  }
  const links: QuickLink[] = [
    {
      to: '/creditos',
      title: 'Buscar en la cartera',
      description: describePortfolioSearch(user.scope),
      testId: 'quick-link-portfolio',
    },
  ];
  if (hasRole(user.role, ASSIGNMENT_OVERSIGHT_ROLES)) {
    links.push({
      to: '/asignacion',
      title: 'Asignación mensual',
      description: 'Resultado del etiquetado y la asignación de cada mes: exclusiones por regla, delegaciones y agencias.',
      testId: 'quick-link-assignment',
    });
  }
  if (user.role === 'agency' || user.role === 'field_agent' || user.role === 'regional_manager') {
    links.push({
      to: '/cuentas-asignadas',
      title: 'Cuentas asignadas',
      description:
        user.role === 'regional_manager'
          ? 'Las cuentas de su delegación asignadas a las agencias en el mes.'
          : user.role === 'agency'
            ? 'Las cuentas asignadas a su agencia en el mes, con su archivo en Excel.'
            : 'Las cuentas que tiene asignadas para visita en el mes.',
      testId: 'quick-link-assigned-accounts',
    });
  }
  // Mediation cases (SPEC §4): the visit, the daily work lists, the agency's mediator register.
  if (hasRole(user.role, VISIT_ROLES)) {
    links.push({
      to: '/visitas',
      title: 'Visitas',
      description:
        user.role === 'field_agent'
          ? 'Registre la visita: soluciones ofrecidas, mediación, aviso de privacidad y aceptación «En Mediación».'
          : 'Las cuentas de su agencia por visitar y el estado de su caso de mediación.',
      testId: 'quick-link-visits',
    });
  }
  if (hasRole(user.role, CASE_LIST_ROLES)) {
    links.push({
      to: '/casos',
      title: user.role === 'mediator' ? 'Mis casos de mediación' : 'Casos de mediación',
      description: casesDescription(user),
      testId: 'quick-link-cases',
    });
  }
  // Convenios (SPEC §6): the review, the approval, the first payment, the reconciliation.
  if (hasRole(user.role, CONVENIO_LIST_ROLES)) {
    links.push({
      to: '/convenios',
      title: user.role === 'mediator' ? 'Mis convenios' : 'Convenios',
      description: conveniosDescription(user),
      testId: 'quick-link-convenios',
    });
  }
  if (hasRole(user.role, RECONCILIATION_ROLES)) {
    links.push({
      to: '/conciliacion',
      title: 'Conciliación de convenios',
      description: 'Términos firmados, términos aplicados al crédito y pagos recibidos: cada diferencia, convenio por convenio.',
      testId: 'quick-link-reconciliation',
    });
  }
  if (hasRole(user.role, CASE_FILE_LIST_ROLES)) {
    links.push({
      to: '/expedientes',
      title: user.role === 'mediator' ? 'Mis expedientes' : 'Expedientes',
      description:
        user.role === 'mediator'
          ? 'Integre el expediente de cada caso con resultado: lo que falta según EXP-1 o EXP-2, y entréguelo a la DR (act. 28).'
          : 'Expedientes por revisar, con correcciones, por validar derechos, por digitalizar y por enviar al ANEC (acts. 29–31, 35).',
      testId: 'quick-link-case-files',
    });
  }
  if (hasRole(user.role, ARCHIVE_ROLES)) {
    links.push({
      to: '/archivo',
      title: 'Archivo (ANEC)',
      description:
        user.role === 'archive'
          ? 'Envíos de expedientes de las delegaciones: registre el acuse de recibo de cada expediente (EXP-4).'
          : 'Envíos al ANEC con su lista en Excel y número de guía, acuses de recibo y el reporte mensual de avance (REP-3, REP-4).',
      testId: 'quick-link-archive',
    });
  }
  if (user.role === 'agency') {
    links.push({
      to: '/mediadores',
      title: 'Mediadores y licencias',
      description: 'El registro de sus mediadores con su licencia de la aplicación: sólo se distribuye a mediadores con licencia.',
      testId: 'quick-link-mediators',
    });
  }
  if (hasRole(user.role, PROPOSAL_REQUEST_ROLES) || hasRole(user.role, PROPOSAL_REVIEW_ROLES)) {
    links.push({
      to: '/propuestas',
      title: 'Propuestas de mediación',
      description: proposalsDescription(user),
      testId: 'quick-link-proposals',
    });
  }
  if (user.role === 'mediation_office') {
    links.push({
      to: '/politicas/exclusiones',
      title: 'Criterios de exclusión',
      description: 'Active o ajuste las exclusiones EXC-1 a EXC-10; cada cambio queda como una nueva versión.',
      testId: 'quick-link-policies',
    });
    links.push({
      to: '/politicas/tipo-convenio',
      title: 'Criterios del tipo de convenio',
      description: 'Decida qué convenio recibe cada crédito etiquetado: por delegación, segmento, saldo o mediador disponible.',
      testId: 'quick-link-convenio-types',
    });
  }
  return links;
}

/** What the convenio lists offer to each role (SPEC §6, acts. 22–27). */
function conveniosDescription(user: Me): string {
  switch (user.role) {
    case 'mediator':
      return 'Envíe a la DR el convenio firmado y la identificación el día de la firma (DL-9); registre ante el CJA los convenios ratificados.';
    case 'regional_manager':
      return 'Revise y apruebe los convenios de su delegación al día siguiente (DL-10, DL-12); la aprobación aplica la reestructura al crédito.';
    case 'agency':
      return 'Invite a los acreditados al primer pago de sus convenios aprobados: un único pago por la cantidad completa en el plazo (act. 26).';
    default:
      return 'Los convenios firmados con su estado: revisión, aprobación, primer pago e incumplimiento.';
  }
}

/** What the case lists offer to each role (SPEC §4). */
function casesDescription(user: Me): string {
  switch (user.role) {
    case 'agency':
      return 'Casos «En Mediación» por distribuir cada día (DL-1), representantes y mediadores, y sus plazos.';
    case 'mediator':
      return 'Sus casos nuevos, por agendar, agendados y en sesión, con sus plazos.';
    case 'regional_manager':
      return 'Los casos de su delegación; entregue los convenios preliminares que soliciten los mediadores (act. 13).';
    default:
      return 'Los casos de mediación con su estado, sus plazos e historial.';
  }
}

/** What the proposals page offers to each role (ENT-A, ENT-B). */
function proposalsDescription(user: Me): string {
  if (user.role === 'mediation_office' || user.role === 'operations') {
    return 'Revise los créditos propuestos fuera del etiquetado mensual: criterios de exclusión y etiquetado.';
  }
  if (user.role === 'specialized_recovery') {
    return 'Informe las cuentas dictaminadas habitadas (ENT-B) o proponga créditos para mediación, y consulte el resultado.';
  }
  if (hasRole(user.role, PROPOSAL_REQUEST_ROLES)) {
    return 'Proponga créditos para mediación fuera del etiquetado mensual y consulte el resultado de cada uno.';
  }
  return 'Consulte las propuestas de mediación fuera del etiquetado mensual y su resultado.';
}

/**
 * The server links every assignment notice to /asignacion; roles that do not open that page (the
 * agencies) are taken to their own assigned accounts of the same month instead.
 */
function noticeLink(link: string, user: Me): string {
  if (!link.startsWith('/asignacion') || hasRole(user.role, ASSIGNMENT_OVERSIGHT_ROLES)) return link;
  return link.replace(/^\/asignacion/, '/cuentas-asignadas');
}

function NoticeLink({ link, user, title }: { link: string; user: Me; title: string }) {
  const to = noticeLink(link, user);
  // Only paths of this app become links; anything else is not followed.
  if (!to.startsWith('/') || to.startsWith('//')) return null;
  return (
    <Link to={to} className="notice-list__link">
      Ver detalle<span className="visually-hidden">: {title}</span>
    </Link>
  );
}

function Notices({ user }: { user: Me }) {
  const notices = useQuery({
    queryKey: ['notices'],
    queryFn: ({ signal }) => listNotices(signal),
  });
  const items: Notice[] = notices.data ?? [];
  // Nothing to show (or the notices could not be loaded): the home page stays as it was.
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="notices-title" className="section" data-testid="notices">
      <h2 id="notices-title">Avisos</h2>
      <ul className="notice-list">
        {items.map((notice) => (
          <li key={notice.id} className="notice-list__item" data-testid="notice">
            <h3 className="notice-list__title">{notice.title}</h3>
            <p className="notice-list__date muted">
              <time dateTime={notice.createdAt}>{formatInstantDate(notice.createdAt)}</time>
            </p>
            <p className="notice-list__body">{notice.body}</p>
            {notice.link !== null && <NoticeLink link={notice.link} user={user} title={notice.title} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomePage() {
  useDocumentTitle('Inicio');
  const user = useCurrentUser();
  const links = quickLinks(user);

  return (
    <>
      <h1 data-testid="home-greeting">Hola, {user.fullName}</h1>
      <div className="profile">
        <p data-testid="user-role">
          <span className="profile__label">Rol:</span> {user.roleLabel}
        </p>
        <p data-testid="user-scope">
          <span className="profile__label">Alcance:</span> {describeScope(user.scope)}
        </p>
      </div>

      <Notices user={user} />

      <section aria-labelledby="quick-links-title" className="section">
        <h2 id="quick-links-title">Accesos rápidos</h2>
        {links.length === 0 ? (
          <p className="notice" data-testid="no-quick-links">
            Su cuenta no tiene un crédito asociado. Comuníquese con el Infonavit para que lo vinculen.
          </p>
        ) : (
          <ul className="tiles">
            {links.map((link) => (
              <li key={link.to}>
                <Link to={link.to} className="tile" data-testid={link.testId}>
                  <span className="tile__title">{link.title}</span>
                  <span className="tile__text">{link.description}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
