import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { listCaseFiles, type CaseFileListItem, type CaseFileQueue } from '../api/casefiles';
import type { Me } from '../api/types';
import { hasRole } from '../assignment-labels';
import {
  CASE_FILE_LIST_ROLES,
  caseFileCount,
  caseFileQueueFromParam,
  caseFileQueuesFor,
  caseFilesByStatus,
  checklistRuleOf,
  type CaseFileQueueOption,
} from '../casefile-labels';
import { caseFilesQueryKey, CaseFileStatusChip } from '../components/case-file-sections';
import { NotAllowed } from '../components/not-allowed';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { QueueTabs, useWorkListParams, WorkListResults } from '../components/work-list';
import { formatDate, formatInteger } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Expedientes';
const PAGE_SIZE = 25;
const STATUS_SELECT_ID = 'case-file-status';

function lead(user: Me): string {
  switch (user.role) {
    case 'mediator':
      return 'Integre el expediente de cada caso con resultado: cargue los documentos que faltan (EXP-1 con convenio, EXP-2 sin convenio) y entréguelo a la DR (act. 28); atienda las correcciones en 2 días (DL-13).';
    case 'regional_manager':
      return 'Revise los expedientes que le entregan los mediadores: pida correcciones en 2 días (DL-13) o acéptelos (act. 29), valide el pago de derechos u honorarios (act. 31, DL-14) y digitalícelos en 2 días (act. 35, DL-15) para enviarlos al archivo.';
    case 'archive':
      return 'Los expedientes que las delegaciones le enviaron: acuse su recepción en «Archivo», por envío (EXP-4).';
    default:
      return 'Los expedientes de los casos con resultado en su alcance, de su integración a su archivo (EXP-1 a EXP-4).';
  }
}

/** The national roles choose the status in a form (as on the convenios page). */
function StatusFilter({ options, current, onChoose }: { options: CaseFileQueueOption[]; current: string; onChoose: (param: string) => void }) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChoose(String(new FormData(event.currentTarget).get('lista') ?? current));
  }
  return (
    <form className="search" aria-label="Filtrar expedientes" onSubmit={handleSubmit} data-testid="case-file-filter">
      <div className="field search__field">
        <label htmlFor={STATUS_SELECT_ID}>Estado</label>
        <select id={STATUS_SELECT_ID} name="lista" defaultValue={current}>
          {options.map((option) => (
            <option key={option.param} value={option.param}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary search__button">
        Filtrar
      </button>
    </form>
  );
}

/** Which columns a list shows: what its work needs. */
function columnsOf(queue: CaseFileQueue, user: Me) {
  return {
    status: queue === 'all' || queue === 'shipped' || queue === 'archived',
    missing: queue === 'to_build' || queue === 'corrections' || queue === 'all',
    nextDue: queue !== 'shipped' && queue !== 'archived',
    mediator: user.role !== 'mediator',
    delegation: user.scope.kind === 'national',
  };
}

function missingText(row: CaseFileListItem): string {
  if (row.missingCount === 0) return 'Completo';
  return `Faltan ${formatInteger(row.missingCount)}`;
}

function CaseFilesTable({ rows, queue, caption, user }: { rows: CaseFileListItem[]; queue: CaseFileQueue; caption: string; user: Me }) {
  const show = columnsOf(queue, user);
  return (
    <div className="table-wrap">
      <table className="results results--wrap-head" role="table" data-testid="case-file-list">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Resultado</th>
            {show.status && <th scope="col" role="columnheader">Estado</th>}
            {show.missing && <th scope="col" role="columnheader">Documentos</th>}
            {show.nextDue && <th scope="col" role="columnheader">Próximo plazo</th>}
            <th scope="col" role="columnheader">Incumplimientos</th>
            {show.mediator && <th scope="col" role="columnheader">Mediador y agencia</th>}
            {show.delegation && <th scope="col" role="columnheader">Delegación</th>}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.caseId} role="row" data-testid="case-file-row" data-case={row.caseId} data-credit={row.creditNumber} data-status={row.status}>
              <td role="cell" data-label="Crédito" className="results__credit">
                <Link to={`/expedientes/${row.caseId}`}>
                  <span className="visually-hidden">Expediente del crédito </span>
                  {row.creditNumber}
                </Link>
              </td>
              <td role="cell" data-label="Acreditado" className="results__text">
                {row.borrowerName}
              </td>
              <td role="cell" data-label="Resultado" className="results__text">
                {row.outcomeLabel} ({checklistRuleOf(row.outcome)})
                <span className="results__sub">{row.convenioTypeLabel}</span>
              </td>
              {show.status && (
                <td role="cell" data-label="Estado">
                  <CaseFileStatusChip status={row.status} label={row.statusLabel} testId="case-file-row-status" />
                </td>
              )}
              {show.missing && (
                <td role="cell" data-label="Documentos" className="nowrap" data-testid="case-file-row-missing" data-missing={row.missingCount}>
                  {missingText(row)}
                </td>
              )}
              {show.nextDue && (
                <td role="cell" data-label="Próximo plazo" className="nowrap" data-testid="case-file-row-due">
                  {row.nextDue === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      {formatDate(row.nextDue.dueOn)} <RuleBadge rule={row.nextDue.rule} />
                    </>
                  )}
                </td>
              )}
              <td role="cell" data-label="Incumplimientos" data-testid="case-file-row-breaches">
                {row.breachedRules.length === 0 ? <span className="muted">Ninguno</span> : row.breachedRules.map((rule) => <RuleBadge key={rule} rule={rule} />)}
              </td>
              {show.mediator && (
                <td role="cell" data-label="Mediador y agencia" className="results__text">
                  {row.mediatorName ?? '—'}
                  <span className="results__sub">{row.agencyName}</span>
                </td>
              )}
              {show.delegation && (
                <td role="cell" data-label="Delegación" className="results__text">
                  {row.delegation.name}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function emptyMessage(queue: CaseFileQueue, role: Me['role']): string {
  switch (queue) {
    case 'to_build':
      return 'No tiene expedientes por integrar.';
    case 'to_review':
      return role === 'mediator' ? 'No tiene expedientes en revisión de la DR.' : 'No hay expedientes por revisar.';
    case 'corrections':
      return 'No hay expedientes con correcciones solicitadas.';
    case 'fees':
      return 'No hay pagos de derechos u honorarios por validar.';
    case 'to_digitise':
      return 'No hay expedientes por digitalizar.';
    case 'to_ship':
      return 'No hay expedientes listos para enviar al archivo.';
    case 'shipped':
      return role === 'archive' ? 'No hay expedientes por recibir.' : 'No hay expedientes enviados pendientes de recepción.';
    case 'archived':
      return 'No hay expedientes archivados.';
    case 'all':
      return 'No hay expedientes en su alcance.';
  }
}

/** /expedientes?lista=…&pagina=… — the case-file work lists of each role (acts. 28–31, 35; EXP-1..4). */
export function CaseFilesPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const { listParam, currentPage, offset, hrefOf, search, goToPage } = useWorkListParams('/expedientes', PAGE_SIZE);
  const option = caseFileQueueFromParam(user.role, listParam);
  const allowed = hasRole(user.role, CASE_FILE_LIST_ROLES);
  const byStatus = caseFilesByStatus(user.role);

  const files = useQuery({
    queryKey: [...caseFilesQueryKey, { queue: option.queue, page: currentPage }],
    queryFn: ({ signal }) => listCaseFiles({ queue: option.queue, page: currentPage, pageSize: PAGE_SIZE }, signal),
    select: (page) => ({ rows: page.items, total: page.total }),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });

  if (!allowed) return <NotAllowed title={TITLE} />;

  const options = caseFileQueuesFor(user.role);

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">{lead(user)}</p>
      {byStatus ? (
        <StatusFilter key={option.param} options={options} current={option.param} onChoose={(param) => search('', param)} />
      ) : (
        <QueueTabs label="Listas de expedientes" testIdPrefix="case-file-" options={options} current={option.queue} hrefOf={hrefOf} />
      )}
      <WorkListResults
        result={files}
        testIdPrefix="case-file-list"
        loadingText="Cargando expedientes…"
        summaryOf={(total) => `${option.label}: ${caseFileCount(total)}`}
        emptyMessage={emptyMessage(option.queue, user.role)}
        offset={offset}
        currentPage={currentPage}
        pageSize={PAGE_SIZE}
        onGoTo={goToPage}
        renderTable={(rows) => <CaseFilesTable rows={rows} queue={option.queue} caption={`${TITLE}: ${option.label.toLowerCase()}`} user={user} />}
      />
    </>
  );
}
