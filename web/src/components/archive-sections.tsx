/**
 * The national archive (SPEC §6 EXP-4, §4 acts. 35–36, §7 REP-3 and REP-4): the shipments with
 * their list (Excel) and receipts, and the monthly archive-progress report with its DL-16 date.
 */
import { Link } from 'react-router';
import { archiveShipmentListUrl, type ArchiveShipmentListItem } from '../api/casefiles';
import { formatDate, formatInteger } from '../format';

/** "Descargar la relación (Excel)" of a shipment (REP-3). */
export function ShipmentListLink({ shipment }: { shipment: { id: number; folio: string } }) {
  return (
    <a
      className="button button--secondary"
      href={archiveShipmentListUrl(shipment.id)}
      download
      data-testid="shipment-list-download"
      aria-label={`Descargar la relación del envío ${shipment.folio} (Excel)`}
    >
      Descargar la relación (Excel)
    </a>
  );
}

/** "3 de 5 recibidos" — the archive's receipts of a shipment (EXP-4). */
export function receiptText(shipment: { filesCount: number; receivedCount: number }): string {
  if (shipment.receivedCount === shipment.filesCount) return `Recibido completo (${formatInteger(shipment.filesCount)})`;
  return `${formatInteger(shipment.receivedCount)} de ${formatInteger(shipment.filesCount)} recibidos`;
}

/** The shipments in the user's scope, newest first, each with its page and its list. */
export function ShipmentsTable({ shipments, caption, showDelegation }: { shipments: readonly ArchiveShipmentListItem[]; caption: string; showDelegation: boolean }) {
  return (
    <div className="table-wrap">
      <table className="results results--wrap-head" role="table" data-testid="shipment-list">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Envío</th>
            <th scope="col" role="columnheader">Fecha de envío</th>
            <th scope="col" role="columnheader">Paquetería y guía</th>
            <th scope="col" role="columnheader">Expedientes</th>
            {showDelegation && <th scope="col" role="columnheader">Delegación</th>}
            <th scope="col" role="columnheader">Relación (REP-3)</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {shipments.map((shipment) => (
            <tr key={shipment.id} role="row" data-testid="shipment-row" data-shipment={shipment.id} data-folio={shipment.folio}>
              <td role="cell" data-label="Envío" className="results__credit">
                <Link to={`/archivo/envios/${shipment.id}`}>
                  <span className="visually-hidden">Envío </span>
                  {shipment.folio}
                </Link>
              </td>
              <td role="cell" data-label="Fecha de envío" className="nowrap">
                {formatDate(shipment.shippedOn)}
              </td>
              <td role="cell" data-label="Paquetería y guía" className="results__text" data-testid="shipment-row-tracking">
                {shipment.courier}
                <span className="results__sub">Guía {shipment.trackingNumber}</span>
              </td>
              <td role="cell" data-label="Expedientes" className="results__text" data-testid="shipment-row-receipts">
                {receiptText(shipment)}
              </td>
              {showDelegation && (
                <td role="cell" data-label="Delegación" className="results__text">
                  {shipment.delegation.name}
                </td>
              )}
              <td role="cell" data-label="Relación (REP-3)">
                <ShipmentListLink shipment={shipment} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
