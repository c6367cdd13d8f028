import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { acknowledgeArchiveReceipt, getArchiveShipment, type ArchiveShipmentDetail, type ArchiveShipmentFile } from '../api/casefiles';
import { isApiError } from '../api/client';
import { hasRole } from '../assignment-labels';
import { ARCHIVE_ROLES, CASE_FILE_READ_ROLES, caseFileCount, RECEIPT_ROLES } from '../casefile-labels';
import { ActionForm } from '../components/action-form';
import { receiptText, ShipmentListLink } from '../components/archive-sections';
import { CheckboxGroup, useFieldProblem } from '../components/case-action-form';
import { archiveShipmentsQueryKey, caseFileQueryKey, caseFilesQueryKey } from '../components/case-file-sections';
import { DetailLoadError, DetailNotFound, useWrittenNotice, WrittenNotice } from '../components/detail-page';
import { Field } from '../components/field';
import { NotAllowed } from '../components/not-allowed';
import { Loading } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate, formatInteger } from '../format';
import { useCurrentUser } from '../session';

const SHIPMENT_ID = /^\d{1,9}$/;
const NOT_FOUND_TITLE = 'Envío no encontrado';

function BackLink() {
  return (
    <Link to="/archivo" className="back-link">
      Volver al archivo
    </Link>
  );
}

function shipmentQueryKey(id: number) {
  return [...archiveShipmentsQueryKey, 'detail', id] as const;
}

function FilesTable({ shipment, linkToFile }: { shipment: ArchiveShipmentDetail; linkToFile: boolean }) {
  return (
    <div className="table-wrap">
      <table className="results results--wrap-head" role="table" data-testid="shipment-files">
        <caption>Expedientes del envío {shipment.folio}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Resultado</th>
            <th scope="col" role="columnheader">Documentos</th>
            <th scope="col" role="columnheader">Recibido</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {shipment.files.map((file) => (
            <tr key={file.caseFileId} role="row" data-testid="shipment-file" data-case-file={file.caseFileId} data-credit={file.creditNumber} data-status={file.status}>
              <td role="cell" data-label="Crédito" className="results__credit">
                {linkToFile ? (
                  <Link to={`/expedientes/${file.caseId}`}>
                    <span className="visually-hidden">Expediente del crédito </span>
                    {file.creditNumber}
                  </Link>
                ) : (
                  file.creditNumber
                )}
              </td>
              <td role="cell" data-label="Acreditado" className="results__text">
                {file.borrowerName}
              </td>
              <td role="cell" data-label="Resultado" className="results__text">
                {file.outcomeLabel}
                <span className="results__sub">{file.convenioTypeLabel}</span>
              </td>
              <td role="cell" data-label="Documentos" className="results__text" data-testid="shipment-file-documents" data-count={file.documents.length}>
                {formatInteger(file.documents.length)}
                <span className="results__sub">{file.documents.map((document) => `${document.documentTypeLabel} (v${document.version})`).join('; ')}</span>
              </td>
              <td role="cell" data-label="Recibido" className="nowrap" data-testid="shipment-file-archived">
                {file.archivedOn === null ? <span className="muted">Sin acuse</span> : formatDate(file.archivedOn)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface PreparedReceipt {
  action: 'acknowledge_receipt';
  input: { caseFileIds: number[] };
}

/** EXP-4: the archive acknowledges the files it received, some or all of the shipment. */
function ReceiptForm({ shipment, onAcknowledged }: { shipment: ArchiveShipmentDetail; onAcknowledged: (next: ArchiveShipmentDetail, count: number) => Promise<unknown> }) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const pending = shipment.files.filter((file) => file.archivedOn === null);
  const [selected, setSelected] = useState<string[]>([]);
  const filesId = `${id}-files`;

  const choice = (file: ArchiveShipmentFile) => ({
    value: String(file.caseFileId),
    label: `Crédito ${file.creditNumber} — ${file.borrowerName}`,
    hint: `${file.outcomeLabel}, ${formatInteger(file.documents.length)} documentos`,
  });

  function send(prepared: PreparedReceipt, _version: number, key: string) {
    return acknowledgeArchiveReceipt(shipment.id, prepared.input.caseFileIds, key);
  }

  return (
    <div data-testid="receipt-forms">
      <ActionForm
        version={0}
        send={send}
        onSuccess={(next: ArchiveShipmentDetail, prepared) => onAcknowledged(next, prepared.input.caseFileIds.length)}
        prepare={(): PreparedReceipt => ({ action: 'acknowledge_receipt', input: { caseFileIds: pending.map((file) => file.caseFileId) } })}
        submitLabel={`Acusar recibo del envío completo (${caseFileCount(pending.length)})`}
        onReload={() => undefined}
        reloadLabel="Recargar"
        errorTestId="receipt-all-error"
        testId="receipt-all-form"
      >
        <p className="field__hint">Si recibió todos los expedientes del envío, acuse su recepción de una vez.</p>
      </ActionForm>
      {pending.length > 1 && (
        <ActionForm
          version={0}
          send={send}
          onSuccess={(next: ArchiveShipmentDetail, prepared) => onAcknowledged(next, prepared.input.caseFileIds.length)}
          prepare={(): PreparedReceipt | null => {
            clear();
            if (selected.length === 0) return fail(filesId, 'Elija los expedientes que recibió.');
            return { action: 'acknowledge_receipt', input: { caseFileIds: selected.map(Number) } };
          }}
          submitLabel="Acusar recibo de los elegidos"
          onReload={() => undefined}
          reloadLabel="Recargar"
          errorTestId="receipt-error"
          testId="receipt-form"
        >
          <CheckboxGroup id={filesId} legend="O elija los expedientes que recibió" choices={pending.map(choice)} values={selected} onChange={setSelected} error={errorFor(filesId)} />
        </ActionForm>
      )}
    </div>
  );
}

function ShipmentView({ id }: { id: number }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: shipmentQueryKey(id), queryFn: ({ signal }) => getArchiveShipment(id, signal) });
  const notice = useWrittenNotice();
  const notFound = query.isError && isApiError(query.error) && query.error.status === 404;
  const title = query.data === undefined ? `Envío ${id}` : `Envío ${query.data.folio}`;
  useDocumentTitle(notFound ? NOT_FOUND_TITLE : title);

  if (query.isPending) return <Loading label="Cargando el envío…" />;
  if (query.isError) {
    if (notFound) return <DetailNotFound title={NOT_FOUND_TITLE} testId="shipment-not-found" message="No existe un envío con ese número dentro de su alcance." backLink={<BackLink />} />;
    return <DetailLoadError title={title} error={query.error} onRetry={() => void query.refetch()} backLink={<BackLink />} />;
  }

  const shipment = query.data;
  const pending = shipment.files.filter((file) => file.archivedOn === null).length;
  const canAcknowledge = hasRole(user.role, RECEIPT_ROLES) && pending > 0;

  async function onAcknowledged(next: ArchiveShipmentDetail, count: number) {
    queryClient.setQueryData(shipmentQueryKey(id), next);
    notice.setWritten({ text: `Se acusó recibo de ${caseFileCount(count)}: quedan archivados (EXP-4).`, version: next.receivedCount });
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...archiveShipmentsQueryKey, 'list'] }),
      queryClient.invalidateQueries({ queryKey: caseFilesQueryKey }),
      ...next.files.map((file) => queryClient.invalidateQueries({ queryKey: caseFileQueryKey(file.caseId) })),
    ]);
  }

  return (
    <>
      <p>
        <BackLink />
      </p>
      <h1>
        Envío <span data-testid="shipment-folio">{shipment.folio}</span>
      </h1>
      <p className="lead">{shipment.delegation.name}</p>
      <WrittenNotice notice={notice} version={shipment.receivedCount} testId="receipt-written" />
      <section className="section card" aria-labelledby="shipment-data-title" data-testid="shipment-data">
        <h2 id="shipment-data-title">Datos del envío (EXP-4)</h2>
        <dl className="fields fields--compact">
          <Field id="shipment-courier" label="Paquetería">
            {shipment.courier}
          </Field>
          <Field id="shipment-tracking" label="Número de guía">
            {shipment.trackingNumber}
          </Field>
          <Field id="shipment-date" label="Fecha de envío">
            {formatDate(shipment.shippedOn)}
          </Field>
          <Field id="shipment-by" label="Envió">
            {shipment.createdBy}
          </Field>
          <Field id="shipment-receipts" label="Recepción">
            {receiptText(shipment)}
          </Field>
        </dl>
        <p>
          <ShipmentListLink shipment={shipment} />
        </p>
      </section>
      {canAcknowledge && (
        <section className="section card" aria-labelledby="receipt-title" data-testid="receipt">
          <h2 id="receipt-title">Acuse de recibo (EXP-4)</h2>
          <ReceiptForm key={pending} shipment={shipment} onAcknowledged={onAcknowledged} />
        </section>
      )}
      <section className="section" aria-labelledby="shipment-files-title">
        <h2 id="shipment-files-title">Expedientes</h2>
        <FilesTable shipment={shipment} linkToFile={hasRole(user.role, CASE_FILE_READ_ROLES)} />
      </section>
    </>
  );
}

/** /archivo/envios/:shipmentId — one shipment to the archive: its data, its list, its files and the receipts. */
export function ArchiveShipmentPage() {
  const user = useCurrentUser();
  const { shipmentId = '' } = useParams();
  if (!hasRole(user.role, ARCHIVE_ROLES)) return <NotAllowed title="Envío al archivo" />;
  if (!SHIPMENT_ID.test(shipmentId)) {
    return <DetailNotFound title={NOT_FOUND_TITLE} testId="shipment-not-found" message="No existe un envío con ese número dentro de su alcance." backLink={<BackLink />} />;
  }
  return <ShipmentView key={shipmentId} id={Number(shipmentId)} />;
}
