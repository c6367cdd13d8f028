import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { listMediators, setMediatorAppLicence } from '../api/client';
import type { Mediator } from '../api/types';
import { hasRole } from '../assignment-labels';
import { appLicenceProblem, MEDIATOR_KIND_SHORT_LABELS, MEDIATOR_REGISTER_ROLES } from '../case-labels';
import { describedBy, FieldError } from '../components/case-action-form';
import { mediatorsQueryKey } from '../components/case-agency-forms';
import { NotAllowed } from '../components/not-allowed';
import { errorMessage, Loading, QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate, formatInteger, formatYesNo, todayInMexicoCity } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Mediadores y licencias';

function certification(mediator: Mediator, today: string): string {
  if (mediator.certificationNumber !== null) {
    const expiresOn = mediator.certificationExpiresOn;
    if (expiresOn === null) return mediator.certificationNumber;
    return `${mediator.certificationNumber}, ${expiresOn < today ? 'vencida el' : 'vence el'} ${formatDate(expiresOn)}`;
  }
  return mediator.notaryNumber ?? '—';
}

/** The inline form that assigns, changes or removes one mediator's app licence (act. 5 register). */
function LicenceForm({ mediator, onClose }: { mediator: Mediator; onClose: (saved: string | null) => void }) {
  const id = useId();
  const inputId = `${id}-licence`;
  const errorId = `${id}-error`;
  const queryClient = useQueryClient();
  const [value, setValue] = useState(mediator.appLicenceNumber ?? '');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const inputRef = useRef<HTMLInputElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const save = useMutation({
    mutationFn: (licence: string | null) => setMediatorAppLicence(mediator.id, licence),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: mediatorsQueryKey });
      onClose(result.appLicenceNumber === null ? `Se quitó la licencia de ${mediator.fullName}.` : `${mediator.fullName}: licencia ${result.appLicenceNumber}.`);
    },
    onError: () => feedbackRef.current?.focus(),
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const licence = value.trim().toUpperCase();
    const issue = appLicenceProblem(licence);
    setProblem(issue ?? undefined);
    if (issue !== null) {
      inputRef.current?.focus();
      return;
    }
    save.mutate(licence);
  }

  return (
    <form className="inline-form licence-form" onSubmit={handleSubmit} noValidate aria-label={`Licencia de ${mediator.fullName}`} data-testid="licence-form">
      <div className="field">
        <label htmlFor={inputId}>Licencia de la aplicación</label>
        <input
          id={inputId}
          ref={inputRef}
          type="text"
          autoComplete="off"
          spellCheck={false}
          maxLength={30}
          value={value}
          aria-invalid={problem !== undefined}
          aria-describedby={describedBy(problem !== undefined && errorId, `${inputId}-hint`)}
          onChange={(event) => setValue(event.target.value)}
        />
        <span id={`${inputId}-hint`} className="field__hint">
          Por ejemplo GM-000123; una licencia por mediador.
        </span>
        <FieldError id={errorId} message={problem} />
      </div>
      <div className="licence-form__buttons">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Guardar
        </button>
        {mediator.appLicenceNumber !== null && (
          <button type="button" className="button button--secondary" disabled={save.isPending} onClick={() => save.mutate(null)}>
            Quitar licencia
          </button>
        )}
        <button type="button" className="button button--secondary" onClick={() => onClose(null)}>
          Cancelar
        </button>
      </div>
      <div ref={feedbackRef} tabIndex={-1} className="form-feedback inline-form__error">
        {save.isError && (
          <div role="alert" className="notice notice--error">
            <p>{errorMessage(save.error)}</p>
          </div>
        )}
      </div>
    </form>
  );
}

/** /mediadores — the agency's mediator ↔ app-licence register (act. 5); others read it. */
export function MediatorsPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const allowed = hasRole(user.role, MEDIATOR_REGISTER_ROLES);
  const canEdit = user.role === 'agency';
  const mediators = useQuery({ queryKey: mediatorsQueryKey, queryFn: ({ signal }) => listMediators(signal), enabled: allowed });
  const [editing, setEditing] = useState<number | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<number | null>(null);
  const savedRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (saved !== null) savedRef.current?.focus();
  }, [saved]);

  useEffect(() => {
    // A cancelled edit gives the focus back to its button.
    if (cancelled !== null) document.querySelector<HTMLButtonElement>(`[data-mediator="${cancelled}"] button`)?.focus();
  }, [cancelled]);

  if (!allowed) return <NotAllowed title={TITLE} />;

  const rows = mediators.data ?? [];
  const today = todayInMexicoCity();
  const withoutLicence = rows.filter((mediator) => mediator.active && mediator.appLicenceNumber === null).length;

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        Sólo se distribuyen casos a mediadores con licencia de la aplicación (act. 5). Un convenio Ratificado requiere un
        mediador certificado por un Centro de Justicia Alternativa; uno Notarial, un Notario Público (CNV-2).
      </p>
      <p ref={savedRef} tabIndex={-1} role="status" className={saved === null ? 'status' : 'notice notice--success'} data-testid="licence-saved">
        {saved ?? ''}
      </p>
      {mediators.isPending && <Loading label="Cargando mediadores…" />}
      {mediators.isError && <QueryError error={mediators.error} onRetry={() => void mediators.refetch()} />}
      {mediators.isSuccess && rows.length === 0 && <p className="notice">No hay mediadores registrados en su alcance.</p>}
      {mediators.isSuccess && rows.length > 0 && (
        <>
          <p className="status" data-testid="mediator-summary">
            {formatInteger(rows.length)} {rows.length === 1 ? 'mediador' : 'mediadores'}
            {withoutLicence > 0 ? `; ${formatInteger(withoutLicence)} activos sin licencia` : ''}.
          </p>
          <div className="table-wrap">
            <table className="results" role="table" data-testid="mediator-list">
              <caption>Registro de mediadores y licencias de la aplicación</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">Mediador</th>
                  <th scope="col" role="columnheader">Tipo</th>
                  <th scope="col" role="columnheader">Certificación o notaría</th>
                  <th scope="col" role="columnheader">Licencia de la aplicación</th>
                  <th scope="col" role="columnheader" className="numeric">Casos abiertos</th>
                  <th scope="col" role="columnheader">Activo</th>
                  {canEdit && <th scope="col" role="columnheader">Editar</th>}
                </tr>
              </thead>
              <tbody role="rowgroup">
                {rows.map((mediator) => (
                  <tr key={mediator.id} role="row" data-testid="mediator-row" data-mediator={mediator.id}>
                    <td role="cell" data-label="Mediador" className="results__text">
                      <strong>{mediator.fullName}</strong>
                      {user.role !== 'agency' && <span className="results__sub">{mediator.agencyName}</span>}
                    </td>
                    <td role="cell" data-label="Tipo" className="results__text">
                      {MEDIATOR_KIND_SHORT_LABELS[mediator.kind]}
                    </td>
                    <td role="cell" data-label="Certificación o notaría" className="results__text">
                      {certification(mediator, today)}
                    </td>
                    <td role="cell" data-label="Licencia de la aplicación" data-testid="mediator-licence">
                      {mediator.appLicenceNumber ?? <span className="state-chip state-chip--pending">Sin licencia</span>}
                    </td>
                    <td role="cell" data-label="Casos abiertos" className="numeric">
                      {formatInteger(mediator.openCases)}
                    </td>
                    <td role="cell" data-label="Activo">
                      {formatYesNo(mediator.active)}
                    </td>
                    {canEdit && (
                      <td role="cell" data-label="Editar" className="results__block">
                        {editing === mediator.id ? (
                          <LicenceForm
                            mediator={mediator}
                            onClose={(message) => {
                              setEditing(null);
                              if (message !== null) setSaved(message);
                              else setCancelled(mediator.id);
                            }}
                          />
                        ) : (
                          <button
                            type="button"
                            className="button button--secondary nowrap"
                            onClick={() => {
                              setSaved(null);
                              setCancelled(null);
                              setEditing(mediator.id);
                            }}
                          >
                            {mediator.appLicenceNumber === null ? 'Asignar licencia' : 'Cambiar licencia'}
                            <span className="visually-hidden"> de {mediator.fullName}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
