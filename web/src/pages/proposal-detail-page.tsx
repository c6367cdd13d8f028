import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { getProposal, isApiError, resolveProposal } from '../api/client';
import type { Me, Proposal, ProposalCredit, ProposalCreditOutcome } from '../api/types';
import { hasRole } from '../assignment-labels';
import { proposalQueryKey, proposalsQueryKey, type CreatedProposalState } from '../components/proposal-form';
import { errorMessage, Loading, QueryError } from '../components/query-state';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInstantDate, formatInteger, formatMonth } from '../format';
import {
  creditCount,
  ENTRY_DESCRIPTIONS,
  ENTRY_LABELS,
  OUTCOME_LABELS,
  PROPOSAL_RESOLVE_ROLES,
  STATUS_LABELS,
} from '../proposal-labels';
import { useCurrentUser } from '../session';

const PROPOSAL_ID = /^\d{1,9}$/;

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="fields__item" data-testid={`field-${id}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function wasJustCreated(state: unknown): boolean {
  return typeof state === 'object' && state !== null && (state as Partial<CreatedProposalState>).created === true;
}

function OutcomeChip({ outcome }: { outcome: ProposalCreditOutcome }) {
  return (
    <span className={`state-chip state-chip--${outcome.replace('_', '-')}`} data-testid="credit-outcome">
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** Why a credit ended as it did: every exclusion rule, or where it was assigned. */
function OutcomeDetail({ credit, proposal }: { credit: ProposalCredit; proposal: Proposal }) {
  const month = proposal.month === null ? '' : ` en ${formatMonth(proposal.month)}`;
  switch (credit.outcome) {
    case 'pending':
      return <span className="muted">Falta revisar los criterios de exclusión.</span>;
    case 'excluded':
      return (
        <>
          <span className="outcome__lead">{credit.reasons.length === 1 ? 'Lo excluye esta regla:' : 'Lo excluyen estas reglas:'}</span>
          <ul className="reasons outcome__reasons" data-testid="credit-reasons">
            {credit.reasons.map((reason) => (
              <li key={reason.rule} className="reasons__item" data-testid="credit-reason" data-rule={reason.rule}>
                <RuleBadge rule={reason.rule} />
                <span>{reason.wording}</span>
              </li>
            ))}
          </ul>
        </>
      );
    case 'tagged':
      return (
        <>
          <dl className="outcome__facts" data-testid="credit-assignment">
            <div>
              <dt>Agencia:</dt> <dd data-testid="credit-agency">{credit.agencyName ?? 'Sin agencia'}</dd>
            </div>
            <div>
              <dt>Tipo de convenio:</dt> <dd data-testid="credit-convenio-type">{credit.convenioTypeLabel ?? 'Sin tipo'}</dd>
            </div>
          </dl>
          {proposal.entry === 'specialized_recovery' && (
            <p className="outcome__frozen" data-testid="credit-legal-stage-frozen">
              Etapa judicial congelada mientras esté etiquetado (ENT-B).
            </p>
          )}
        </>
      );
    case 'already_tagged':
      return <span>Ya estaba etiquetado para mediación{month}; conserva la agencia y el tipo de convenio que tenía.</span>;
    case 'no_agency':
      return <span>Es susceptible de mediación, pero ninguna agencia con capacidad atiende su delegación; no se etiquetó.</span>;
  }
}

function CreditsTable({ proposal }: { proposal: Proposal }) {
  return (
    <section className="section" aria-labelledby="proposal-credits-title" data-testid="proposal-credits">
      <h2 id="proposal-credits-title">Créditos</h2>
      <div className="table-wrap">
        <table className="results" role="table">
          <caption>
            {proposal.status === 'pending' ? 'Créditos propuestos' : 'Resultado de cada crédito'} ({creditCount(proposal.credits.length)})
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Crédito</th>
              <th scope="col" role="columnheader">Acreditado</th>
              <th scope="col" role="columnheader">Resultado</th>
              <th scope="col" role="columnheader">Motivos o asignación</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {proposal.credits.map((credit) => (
              <tr key={credit.creditNumber} role="row" data-testid="proposal-credit-row" data-credit={credit.creditNumber} data-outcome={credit.outcome}>
                <td role="cell" data-label="Crédito" className="results__credit">
                  <Link to={`/creditos/${credit.creditNumber}`}>{credit.creditNumber}</Link>
                </td>
                <td role="cell" data-label="Acreditado">{credit.borrowerName}</td>
                <td role="cell" data-label="Resultado">
                  <OutcomeChip outcome={credit.outcome} />
                </td>
                <td role="cell" data-label="Motivos o asignación" className="results__block">
                  <OutcomeDetail credit={credit} proposal={proposal} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function countOf(proposal: Proposal, outcome: ProposalCreditOutcome): number {
  return proposal.credits.filter((credit) => credit.outcome === outcome).length;
}

function Stat({ id, label, value }: { id: string; label: string; value: number }) {
  return (
    <div className="stat" data-testid={`stat-${id}`}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{formatInteger(value)}</dd>
    </div>
  );
}

/** The counts of a resolved proposal; takes the focus when it is the answer to the button. */
function ResolutionSummary({ proposal, takeFocus }: { proposal: Proposal; takeFocus: boolean }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocus) headingRef.current?.focus();
  }, [takeFocus]);

  const tagged = countOf(proposal, 'tagged');
  const noAgency = countOf(proposal, 'no_agency');
  const alreadyTagged = countOf(proposal, 'already_tagged');
  const month = proposal.month === null ? '' : ` en ${formatMonth(proposal.month)}`;
  return (
    <section className="section card" aria-labelledby="resolution-title" data-testid="proposal-resolution">
      <h2 id="resolution-title" ref={headingRef} tabIndex={-1}>
        Resultado de la revisión
      </h2>
      <p className="notice notice--success" data-testid="proposal-resolution-notice">
        Se revisaron los criterios de exclusión
        {proposal.resolvedAt === null ? '' : ` el ${formatInstantDate(proposal.resolvedAt)}`}.{' '}
        {tagged === 0
          ? 'No se etiquetó ningún crédito.'
          : `${tagged === 1 ? 'Se etiquetó 1 crédito' : `Se etiquetaron ${formatInteger(tagged)} créditos`} para mediación${month}, fuera de la asignación mensual.`}{' '}
        Se avisó al solicitante{tagged > 0 ? ' y a las agencias' : ''}.
      </p>
      <dl className="stats stats--compact">
        <Stat id="tagged" label={OUTCOME_LABELS.tagged} value={tagged} />
        <Stat id="excluded" label={OUTCOME_LABELS.excluded} value={countOf(proposal, 'excluded')} />
        {alreadyTagged > 0 && <Stat id="already-tagged" label={OUTCOME_LABELS.already_tagged} value={alreadyTagged} />}
        {noAgency > 0 && <Stat id="no-agency" label={OUTCOME_LABELS.no_agency} value={noAgency} />}
      </dl>
    </section>
  );
}

function ProposalView({ proposal, user, justCreated }: { proposal: Proposal; user: Me; justCreated: boolean }) {
  const queryClient = useQueryClient();
  const feedbackRef = useRef<HTMLDivElement>(null);
  const canResolve = hasRole(user.role, PROPOSAL_RESOLVE_ROLES);

  const resolve = useMutation({
    mutationFn: () => resolveProposal(proposal.id),
    onSuccess: async (resolved) => {
      queryClient.setQueryData(proposalQueryKey(resolved.id), resolved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: proposalsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['notices'] }),
        queryClient.invalidateQueries({ queryKey: ['assigned-accounts'] }),
        queryClient.invalidateQueries({ queryKey: ['credit-explanation'] }),
      ]);
    },
    onError: async (error) => {
      feedbackRef.current?.focus();
      // Someone else resolved it meanwhile (409): show what they got.
      if (isApiError(error) && error.status === 409) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: proposalQueryKey(proposal.id) }),
          queryClient.invalidateQueries({ queryKey: proposalsQueryKey }),
        ]);
      }
    },
  });

  const pending = proposal.status === 'pending';
  const noun = user.role === 'borrower' ? 'solicitud' : 'propuesta';

  return (
    <>
      {justCreated && (
        <p className="notice notice--success" data-testid="proposal-created">
          Se registró su {noun} {proposal.id}. La Gerencia de Mediación y Convenios recibió un aviso para revisarla
          {user.role === 'borrower' ? '; le avisaremos el resultado en su página de inicio.' : '.'}
        </p>
      )}

      <section className="section card" aria-labelledby="proposal-data-title" data-testid="proposal-data">
        <h2 id="proposal-data-title">Datos de la {noun}</h2>
        <p className="muted">{ENTRY_DESCRIPTIONS[proposal.entry]}</p>
        <dl className="fields">
          <Field id="proposal-entry" label="Tipo">
            {ENTRY_LABELS[proposal.entry]}
          </Field>
          <Field id="proposal-requester" label={user.role === 'borrower' ? 'Solicitada por' : 'Propuesta por'}>
            {proposal.requesterName}
          </Field>
          <Field id="proposal-area" label="Área">
            {proposal.requesterArea}
          </Field>
          <Field id="proposal-date" label="Fecha">
            {formatInstantDate(proposal.createdAt)}
          </Field>
          <Field id="proposal-status" label="Estado">
            {STATUS_LABELS[proposal.status]}
            {proposal.resolvedAt !== null ? ` el ${formatInstantDate(proposal.resolvedAt)}` : ''}
          </Field>
          {proposal.month !== null && (
            <Field id="proposal-month" label="Mes del etiquetado">
              {formatMonth(proposal.month)}
            </Field>
          )}
          <div className="fields__item fields__item--wide" data-testid="field-proposal-reason">
            <dt>Motivo</dt>
            <dd className="proposal-reason">{proposal.reason}</dd>
          </div>
        </dl>
      </section>

      {pending && canResolve && (
        <section className="section card" aria-labelledby="resolve-title" data-testid="proposal-resolve">
          <h2 id="resolve-title">Revisión</h2>
          <p>
            Se revisan los criterios de exclusión vigentes para cada crédito
            {proposal.entry === 'specialized_recovery' ? ' (salvo EXC-9, por ser cuentas dictaminadas habitadas)' : ''}.
            Los que no tienen exclusión se etiquetan en el mes en curso con tipo de convenio y agencia; se avisa al
            solicitante, con cada regla de los excluidos, y a las agencias.
          </p>
          <button type="button" className="button button--primary" onClick={() => resolve.mutate()} disabled={resolve.isPending}>
            {resolve.isPending ? 'Revisando…' : 'Revisar criterios y etiquetar'}
          </button>
        </section>
      )}

      {pending && !canResolve && (
        <p className="notice section" data-testid="proposal-waiting">
          Pendiente de revisión: la Gerencia de Mediación y Convenios revisará los criterios de exclusión de cada crédito;
          el resultado se avisa a quien la propuso.
        </p>
      )}

      <div ref={feedbackRef} tabIndex={-1} className="form-feedback section">
        <div role="status" className="status">
          {resolve.isPending ? `Revisando los criterios de ${creditCount(proposal.credits.length)}; puede tardar unos segundos…` : ''}
        </div>
        {resolve.isError && (
          <div role="alert" className="notice notice--error" data-testid="proposal-resolve-error">
            <p>{errorMessage(resolve.error)}</p>
          </div>
        )}
      </div>

      {!pending && <ResolutionSummary proposal={proposal} takeFocus={resolve.isSuccess} />}
      <CreditsTable proposal={proposal} />
    </>
  );
}

/** /propuestas/:id — one proposal: who, why, and what became of each credit (ENT-A, ENT-B). */
export function ProposalDetailPage() {
  const { proposalId = '' } = useParams();
  const location = useLocation();
  const user = useCurrentUser();
  const valid = PROPOSAL_ID.test(proposalId);
  const id = Number(proposalId);
  // A borrower asked for mediation: to him it is a request (solicitud).
  const noun = user.role === 'borrower' ? 'Solicitud' : 'Propuesta';
  useDocumentTitle(valid ? `${noun} ${id}` : `${noun} no encontrada`);
  const proposal = useQuery({
    queryKey: proposalQueryKey(id),
    queryFn: ({ signal }) => getProposal(id, signal),
    enabled: valid,
  });

  const backLink = (
    <p>
      <Link to="/propuestas" className="back-link">
        {user.role === 'borrower' ? 'Mis solicitudes' : 'Propuestas de mediación'}
      </Link>
    </p>
  );

  if (!valid || (proposal.isError && isApiError(proposal.error) && proposal.error.status === 404)) {
    return (
      <>
        {backLink}
        <h1>{noun} no encontrada</h1>
        <p className="notice" data-testid="proposal-not-found">
          No existe la {noun.toLowerCase()} «{proposalId}» o no está a su alcance.
        </p>
      </>
    );
  }

  return (
    <>
      {backLink}
      <h1>
        {noun} {proposalId}
      </h1>
      <div aria-busy={proposal.isFetching}>
        {proposal.isPending && <Loading label="Cargando la propuesta…" />}
        {proposal.isError && <QueryError error={proposal.error} onRetry={() => void proposal.refetch()} />}
        {proposal.isSuccess && <ProposalView proposal={proposal.data} user={user} justCreated={wasJustCreated(location.state)} />}
      </div>
    </>
  );
}
