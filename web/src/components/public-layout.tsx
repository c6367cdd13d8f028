import type { ReactNode } from 'react';
import { MAIN_CONTENT_ID, SkipLink } from './skip-link';

/** The frame of the pages seen before signing in. */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="topbar__inner">
          <span className="topbar__brand">Cobranza Social</span>
        </div>
      </header>
      <main id={MAIN_CONTENT_ID} tabIndex={-1} className="page page--narrow">
        {children}
      </main>
    </>
  );
}
