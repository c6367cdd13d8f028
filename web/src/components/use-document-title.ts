import { useEffect } from 'react';

const APP_NAME = 'Cobranza Social';

/** Each page names itself in the browser tab and for screen readers: "Cartera de créditos · Cobranza Social". */
export function useDocumentTitle(pageTitle: string): void {
  useEffect(() => {
    document.title = pageTitle === '' ? APP_NAME : `${pageTitle} · ${APP_NAME}`;
  }, [pageTitle]);
}
