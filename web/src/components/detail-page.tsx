import { useEffect, useRef, useState, type ReactNode } from 'react';
import { QueryError } from './query-state';
import { useDocumentTitle } from './use-document-title';

/** The page of a record that does not exist (or is out of the user's scope). */
export function DetailNotFound({ title, testId, message, backLink }: { title: string; testId: string; message: string; backLink: ReactNode }) {
  useDocumentTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <p className="notice" data-testid={testId}>
        {message}
      </p>
      <p>{backLink}</p>
    </>
  );
}

/** The page of a record that could not be loaded, with the retry. */
export function DetailLoadError({ title, error, onRetry, backLink }: { title: string; error: unknown; onRetry: () => void; backLink: ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      <QueryError error={error} onRetry={onRetry} />
      <p>{backLink}</p>
    </>
  );
}

interface Written {
  text: string;
  version: number;
}

/** What was just recorded: shown, and focused, while the record is at the version the write left. */
export function useWrittenNotice() {
  const [written, setWritten] = useState<Written | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The answer to a submission takes the focus: keyboard and screen-reader users hear it.
    if (written !== null) ref.current?.focus();
  }, [written]);
  return { written, setWritten, ref };
}

export function WrittenNotice({ notice, version, testId }: { notice: ReturnType<typeof useWrittenNotice>; version: number; testId: string }) {
  const { written, ref } = notice;
  const show = written !== null && written.version === version;
  return (
    <div ref={ref} tabIndex={-1} role="status" className={show ? 'notice notice--success case-written' : 'status'} data-testid={testId}>
      {show ? written.text : ''}
    </div>
  );
}
