import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createProposal } from '../api/client';
import type { Me, ProposalEntry, ProposalRequest } from '../api/types';
import { hasRole } from '../assignment-labels';
import { formatInteger } from '../format';
import {
  creditNumbersProblem,
  ENTRY_LABELS,
  INHABITED_REPORT_ROLES,
  MAX_PROPOSAL_CREDITS,
  MAX_REASON_LENGTH,
  parseCreditNumbers,
  reasonProblem,
} from '../proposal-labels';
import { errorMessage } from './query-state';

export const proposalsQueryKey = ['proposals'] as const;

export function proposalQueryKey(id: number) {
  return ['proposal', id] as const;
}

/** What the detail page shows right after the proposal was created (router state). */
export interface CreatedProposalState {
  created: true;
}

const CREDITS_ID = 'proposal-credits';
const REASON_ID = 'proposal-reason';

interface FieldErrors {
  credits?: string;
  reason?: string;
}

function EntryChoice({ entry, onChange }: { entry: ProposalEntry; onChange: (entry: ProposalEntry) => void }) {
  const options: { value: ProposalEntry; description: string }[] = [
    {
      value: 'specialized_recovery',
      description:
        'Cuentas del segmento Recuperación Especializada dictaminadas como habitadas. No se excluyen por la etapa procesal (EXC-9) y, al etiquetarse, su etapa judicial queda congelada.',
    },
    {
      value: 'request',
      description: 'Propuesta de mediación de cualquier crédito; se aplican todos los criterios de exclusión.',
    },
  ];
  return (
    <fieldset className="choice-group">
      <legend>Tipo de propuesta</legend>
      {options.map((option) => {
        const id = `proposal-entry-${option.value}`;
        return (
          <div key={option.value} className="choice">
            <input
              id={id}
              type="radio"
              name="entry"
              value={option.value}
              checked={entry === option.value}
              onChange={() => onChange(option.value)}
              aria-describedby={`${id}-hint`}
            />
            <div className="choice__text">
              <label htmlFor={id}>{ENTRY_LABELS[option.value]}</label>
              <span id={`${id}-hint`} className="field__hint">
                {option.description}
              </span>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} role="alert" className="field__error" data-testid={id}>
      {message}
    </p>
  );
}

function creditsHint(user: Me, entry: ProposalEntry): string {
  let hint = `10 dígitos cada uno; uno por renglón o separados por comas o espacios. Hasta ${formatInteger(MAX_PROPOSAL_CREDITS)} créditos.`;
  if (user.scope.kind === 'delegation') hint += ' Sólo créditos de su delegación.';
  if (entry === 'specialized_recovery') hint += ' Sólo créditos del segmento Recuperación Especializada.';
  return hint;
}

/**
 * A new proposal (ENT-A) or RE's report of inhabited accounts (ENT-B). A borrower asks for his own
 * credit only: the form names it and has no credit box.
 */
export function ProposalForm({ user }: { user: Me }) {
  const isBorrower = user.role === 'borrower';
  const ownCredit = user.scope.creditNumber;
  const reportsInhabited = hasRole(user.role, INHABITED_REPORT_ROLES);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [entry, setEntry] = useState<ProposalEntry>(reportsInhabited ? 'specialized_recovery' : 'request');
  const [creditText, setCreditText] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const creditsRef = useRef<HTMLTextAreaElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);

  const create = useMutation({
    mutationFn: (request: ProposalRequest) => createProposal(request),
    onSuccess: async (proposal) => {
      queryClient.setQueryData(proposalQueryKey(proposal.id), proposal);
      await queryClient.invalidateQueries({ queryKey: proposalsQueryKey });
      const state: CreatedProposalState = { created: true };
      void navigate(`/propuestas/${proposal.id}`, { state });
    },
    onError: () => feedbackRef.current?.focus(),
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = isBorrower ? { creditNumbers: ownCredit ? [ownCredit] : [], invalid: [] } : parseCreditNumbers(creditText);
    const next: FieldErrors = {};
    const creditsProblem = creditNumbersProblem(parsed);
    if (creditsProblem !== null) next.credits = creditsProblem;
    const reasonIssue = reasonProblem(reason);
    if (reasonIssue !== null) next.reason = reasonIssue;
    setErrors(next);
    if (next.credits !== undefined || next.reason !== undefined) {
      create.reset();
      // The first field to correct takes the focus; its message is read with it (aria-describedby).
      if (next.credits !== undefined && !isBorrower) creditsRef.current?.focus();
      else reasonRef.current?.focus();
      return;
    }
    create.mutate({ entry, creditNumbers: parsed.creditNumbers, reason: reason.trim() });
  }

  const creditsHintId = `${CREDITS_ID}-hint`;
  const creditsErrorId = `${CREDITS_ID}-error`;
  const reasonHintId = `${REASON_ID}-hint`;
  const reasonErrorId = `${REASON_ID}-error`;
  const title = isBorrower ? 'Solicitar mediación de mi crédito' : reportsInhabited ? 'Nueva propuesta o informe de cuentas habitadas' : 'Nueva propuesta';
  const submitLabel = isBorrower ? 'Solicitar mediación' : entry === 'specialized_recovery' ? 'Informar cuentas habitadas' : 'Enviar propuesta';

  return (
    <section className="section card" aria-labelledby="proposal-form-title" data-testid="proposal-form">
      <h2 id="proposal-form-title">{title}</h2>
      {isBorrower ? (
        <p className="muted">
          La mediación es un servicio extrajudicial en el que un mediador independiente les ayuda a usted y al Infonavit
          a llegar a un acuerdo sobre su crédito. La Gerencia de Mediación y Convenios revisará si su crédito puede
          entrar al servicio y le avisará el resultado en su página de inicio.
        </p>
      ) : (
        <p className="muted">
          Proponga créditos para el servicio de mediación fuera del etiquetado mensual. La Gerencia de Mediación y
          Convenios revisa los criterios de exclusión de cada crédito: los que no tienen exclusión se etiquetan con un
          tipo de convenio y una agencia; de los demás se le indica cada regla que los excluye.
        </p>
      )}

      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={create.isPending}>
        {reportsInhabited && <EntryChoice entry={entry} onChange={setEntry} />}

        {isBorrower ? (
          <dl className="fields">
            <div className="fields__item" data-testid="proposal-own-credit">
              <dt>Crédito</dt>
              <dd>{ownCredit}</dd>
            </div>
          </dl>
        ) : (
          <div className="field">
            <label htmlFor={CREDITS_ID}>
              Números de crédito <span className="field__required">(obligatorio)</span>
            </label>
            <textarea
              id={CREDITS_ID}
              ref={creditsRef}
              rows={4}
              autoComplete="off"
              spellCheck={false}
              aria-required="true"
              aria-invalid={errors.credits !== undefined}
              aria-describedby={errors.credits !== undefined ? `${creditsErrorId} ${creditsHintId}` : creditsHintId}
              value={creditText}
              onChange={(event) => setCreditText(event.target.value)}
            />
            <span id={creditsHintId} className="field__hint">
              {creditsHint(user, entry)}
            </span>
            <FieldError id={creditsErrorId} message={errors.credits} />
          </div>
        )}

        <div className="field">
          <label htmlFor={REASON_ID}>
            {isBorrower ? '¿Por qué solicita la mediación?' : 'Motivo de la propuesta'}{' '}
            <span className="field__required">(obligatorio)</span>
          </label>
          <textarea
            id={REASON_ID}
            ref={reasonRef}
            rows={3}
            maxLength={MAX_REASON_LENGTH}
            aria-required="true"
            aria-invalid={errors.reason !== undefined}
            aria-describedby={errors.reason !== undefined ? `${reasonErrorId} ${reasonHintId}` : reasonHintId}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <span id={reasonHintId} className="field__hint">
            {isBorrower
              ? 'Por ejemplo: perdí mi empleo y quiero llegar a un acuerdo para pagar.'
              : 'Lo leerá la Gerencia de Mediación y Convenios en su aviso; queda registrado en la bitácora.'}
          </span>
          <FieldError id={reasonErrorId} message={errors.reason} />
        </div>

        <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
          {create.isError && (
            <div role="alert" className="notice notice--error" data-testid="proposal-form-error">
              <p>{errorMessage(create.error)}</p>
            </div>
          )}
          <div role="status" className="status">
            {create.isPending ? 'Enviando…' : ''}
          </div>
        </div>

        <div>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? 'Enviando…' : submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}
