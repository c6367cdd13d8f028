/**
 * What the case-file page shows everyone in scope (SPEC §6 EXP-1..4, §4 acts. 28–31 and 35–36,
 * §5 DL-13..DL-15): the checklist with what is missing, the due dates and breaches, the shipment
 * to the archive and the history.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { archiveShipmentListUrl, type CaseFileChecklistItem, type CaseFileDetail, type CaseFileStatus } from '../api/casefiles';
import { documentContentUrl } from '../api/client';
import type { CaseDocument, DocumentType } from '../api/types';
import { CASE_FILE_STATUS_LABELS, caseFileStatusTone, missingTypesOf } from '../casefile-labels';
import { DOCUMENT_TYPE_LABELS } from '../convenio-labels';
import { formatDate } from '../format';
import { BreachList } from './breach-list';
import { Field } from './field';
import { DueDateList } from './due-date-list';
import { RuleBadge } from './rule-badge';
import { statusChange, TimelineEvent } from './timeline';

export const caseFilesQueryKey = ['case-files'] as const;
export const archiveShipmentsQueryKey = ['archive-shipments'] as const;

export function caseFileQueryKey(caseId: number) {
  return ['case-file', caseId] as const;
}

export function CaseFileStatusChip({ status, label, testId = 'case-file-status' }: { status: CaseFileStatus; label?: string; testId?: string }) {
  return (
    <span className={`state-chip convenio-chip convenio-chip--${caseFileStatusTone(status)}`} data-testid={testId} data-status={status}>
      {label ?? CASE_FILE_STATUS_LABELS[status]}
    </span>
  );
}

function Section({ id, title, children, wide = false }: { id: string; title: string; children: ReactNode; wide?: boolean }) {
  const headingId = `case-file-${id}-title`;
  return (
    <section className={`section card${wide ? ' section--wide' : ''}`} aria-labelledby={headingId} data-testid={`case-file-${id}`}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

function ChecklistItem({ item, documents, onUpload }: { item: CaseFileChecklistItem; documents: readonly CaseDocument[]; onUpload: ((type: DocumentType) => void) | null }) {
  const lacking = missingTypesOf(item, documents);
  const state = item.satisfied ? 'ok' : item.required ? 'missing' : 'optional';
  return (
    <li
      className={`check-list__item check-list__item--${state === 'optional' ? 'ok' : state}`}
      data-testid="checklist-item"
      data-item={item.id}
      data-satisfied={item.satisfied}
      data-required={item.required}
    >
      <span className="check-list__mark" aria-hidden="true">
        {item.satisfied ? '✓' : item.required ? '✗' : '–'}
      </span>
      <div>
        <p>
          <RuleBadge rule={item.id} /> {item.label}
          <span className="visually-hidden">
            {item.satisfied ? ': cargado.' : item.required ? ': falta.' : ': opcional.'}
          </span>
        </p>
        {item.documents.length > 0 && (
          <p className="timeline__meta">
            {item.documents.map((document, index) => (
              <span key={document.id}>
                {index > 0 && ' · '}
                <a href={documentContentUrl(document.id)} target="_blank" rel="noopener">
                  {document.fileName}
                  <span className="visually-hidden"> (se abre en otra pestaña)</span>
                </a>{' '}
                (versión {document.version}, {formatDate(document.uploadedOn)})
              </span>
            ))}
          </p>
        )}
        {!item.required && !item.satisfied && <p className="timeline__meta">Opcional.</p>}
        {onUpload === null && lacking.length > 0 && (
          <p className="timeline__meta">
            Falta: {lacking.map((type) => DOCUMENT_TYPE_LABELS[type]).join('; ')}.
          </p>
        )}
        {onUpload !== null && lacking.length > 0 && (
          <div className="downloads">
            {lacking.map((type) => (
              <button key={type} type="button" className="button button--secondary" onClick={() => onUpload(type)} data-testid="checklist-upload" data-type={type}>
                Cargar: {DOCUMENT_TYPE_LABELS[type]}
              </button>
            ))}
          </div>
        )}
      </div>
    </li>
  );
}

/**
 * EXP-1 (signed) or EXP-2 (not signed): each item, the documents that satisfy it and what is
 * missing; `onUpload` (the roles that upload) opens the upload form on the type.
 */
export function CaseFileChecklistSection({ detail, onUpload }: { detail: CaseFileDetail; onUpload: ((type: DocumentType) => void) | null }) {
  const missing = detail.checklist.missing.length;
  const rule = detail.checklist.rule;
  return (
    <Section id="checklist" title={`Lo que integra el expediente (${rule})`} wide>
      <p className={`notice${missing === 0 ? ' notice--success' : ' notice--warning'}`} data-testid="checklist-summary" data-missing={missing}>
        {missing === 0
          ? 'No falta ningún documento requerido.'
          : `${missing === 1 ? 'Falta 1 punto requerido' : `Faltan ${missing} puntos requeridos`}: ${detail.checklist.missing.map((item) => item.id).join(', ')}.`}
      </p>
      <ul className="check-list" data-testid="checklist">
        {detail.checklist.items.map((item) => (
          <ChecklistItem key={item.id} item={item} documents={detail.documents} onUpload={onUpload} />
        ))}
      </ul>
    </Section>
  );
}

/** The file's due dates (DL-13..DL-15) with how each was computed, and the breaches flagged. */
export function CaseFileDueDates({ detail }: { detail: CaseFileDetail }) {
  return (
    <Section id="due-dates" title="Plazos">
      {detail.dueDates.length === 0 ? (
        <p className="muted">Los plazos de la revisión corren desde la entrega del expediente a la DR (act. 28, DL-13).</p>
      ) : (
        <DueDateList dueDates={detail.dueDates} itemTestId="case-file-due" />
      )}
      <h3>Incumplimientos de nivel de servicio</h3>
      <BreachList breaches={detail.breaches} itemTestId="case-file-breach" emptyTestId="case-file-no-breaches" />
    </Section>
  );
}

/** Dates of the review, the fees, the digitisation and the archive (acts. 28–31, 35). */
export function CaseFileProgress({ detail }: { detail: CaseFileDetail }) {
  const date = (value: string | null, none: string) => (value === null ? <span className="muted">{none}</span> : formatDate(value));
  return (
    <Section id="progress" title="Avance">
      <dl className="fields fields--compact">
        <Field id="case-file-submitted" label="Entregado a la DR">
          {date(detail.dates.submittedOn, 'Sin entregar')}
        </Field>
        <Field id="case-file-accepted" label="Aceptado por la DR">
          {date(detail.dates.acceptedOn, 'Sin aceptar')}
        </Field>
        {detail.feeValidationRequired && (
          <>
            <Field id="case-file-certificates" label="Constancias recibidas">
              {date(detail.dates.certificatesReceivedOn, 'Sin registrar')}
            </Field>
            <Field id="case-file-fees" label="Pago de derechos u honorarios validado">
              {date(detail.dates.feeValidatedOn, 'Sin validar')}
            </Field>
          </>
        )}
        {detail.outcome === 'signed' && (
          <Field id="case-file-digitised" label="Digitalizado">
            {date(detail.dates.digitisedOn, 'Sin digitalizar')}
          </Field>
        )}
        <Field id="case-file-archived" label="Recibido por el archivo">
          {date(detail.dates.archivedOn, 'Sin recibir')}
        </Field>
      </dl>
    </Section>
  );
}

/** The shipment the file went in (act. 35, EXP-4), with the list and the archive's receipt. */
export function CaseFileShipmentSection({ detail, linkToShipment }: { detail: CaseFileDetail; linkToShipment: boolean }) {
  const shipment = detail.shipment;
  if (shipment === null) return null;
  return (
    <Section id="shipment" title="Envío al archivo (act. 35, EXP-4)">
      <dl className="fields fields--compact">
        <Field id="shipment-folio" label="Envío">
          {linkToShipment ? <Link to={`/archivo/envios/${shipment.id}`}>{shipment.folio}</Link> : shipment.folio}
        </Field>
        <Field id="shipment-courier" label="Paquetería">
          {shipment.courier}
        </Field>
        <Field id="shipment-tracking" label="Número de guía">
          {shipment.trackingNumber}
        </Field>
        <Field id="shipment-date" label="Fecha de envío">
          {formatDate(shipment.shippedOn)}
        </Field>
        <Field id="shipment-received" label="Recibido por el archivo">
          {detail.dates.archivedOn === null ? <span className="muted">Sin acuse todavía</span> : formatDate(detail.dates.archivedOn)}
        </Field>
      </dl>
      <p>
        <a className="button button--secondary" href={archiveShipmentListUrl(shipment.id)} download data-testid="case-file-shipment-list">
          Descargar la relación del envío (Excel)
        </a>
      </p>
    </Section>
  );
}

export function CaseFileHistory({ detail }: { detail: CaseFileDetail }) {
  return (
    <Section id="history" title="Historial">
      {detail.events.length === 0 ? (
        <p className="muted">El expediente todavía no se entrega a la DR.</p>
      ) : (
        <ol className="timeline">
          {detail.events.map((event) => (
            <TimelineEvent
              key={event.version}
              testId="case-file-event"
              action={event.action}
              label={event.label}
              activity={event.activity}
              onDate={event.onDate}
              actorName={event.actorName}
              actorRole={event.actorRole}
              change={statusChange(event.fromStatus, event.toStatus, CASE_FILE_STATUS_LABELS)}
              details={event.note}
            />
          ))}
        </ol>
      )}
    </Section>
  );
}
