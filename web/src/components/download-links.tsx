import { assignmentFileUrl } from '../api/client';
import type { Month } from '../api/types';
import { formatMonth } from '../format';

/** "Descargar Excel" and "Descargar CSV": plain links to the assignment file of `month`. */
export function DownloadLinks({ month }: { month: Month }) {
  const described = `asignación de ${formatMonth(month)}`;
  return (
    <div className="downloads" data-testid="assignment-downloads">
      <a
        className="button button--secondary"
        href={assignmentFileUrl(month, 'xlsx')}
        download
        data-testid="download-xlsx"
        aria-label={`Descargar Excel de la ${described}`}
      >
        Descargar Excel
      </a>
      <a
        className="button button--secondary"
        href={assignmentFileUrl(month, 'csv')}
        download
        data-testid="download-csv"
        aria-label={`Descargar CSV de la ${described}`}
      >
        Descargar CSV
      </a>
    </div>
  );
}
