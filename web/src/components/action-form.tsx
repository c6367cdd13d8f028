import { useMutation } from '@tanstack/react-query';
import { useRef, type FormEvent, type ReactNode } from 'react';
import { isApiError, isNetworkError, newIdempotencyKey } from '../api/client';
import { errorMessage } from './query-state';

/** One action with its input, as a form prepares it. */
export interface PreparedWrite {
  action: string;
  input: unknown;
}

export function isStaleVersion(error: unknown): boolean {
  return isApiError(error) && error.code === 'STALE_VERSION';
}

/**
 * A write with its `Idempotency-Key`: a fresh key for every submission, the same key again when the
 * same submission is retried after a network error (the server then applies it once).
 */
export function useIdempotentWrite<P extends PreparedWrite, D>({
  send,
  onSuccess,
  onFailed,
}: {
  /** The POST of the action at `version` with `key`. */
  send: (prepared: P, version: number, key: string) => Promise<D>;
  /** What follows the reply: the cache and the lists. */
  onSuccess: (detail: D, prepared: P) => Promise<unknown>;
  onFailed: () => void;
}) {
  const unanswered = useRef<{ fingerprint: string; key: string } | null>(null);
  return useMutation({
    mutationFn: ({ prepared, version }: { prepared: P; version: number }) => {
      const fingerprint = JSON.stringify([prepared.action, version, prepared.input]);
      const previous = unanswered.current;
      const key = previous !== null && previous.fingerprint === fingerprint ? previous.key : newIdempotencyKey();
      unanswered.current = { fingerprint, key };
      return send(prepared, version, key);
    },
    // Set on the mutation, not on mutate(): the form that sent it is replaced by the new version's.
    onSuccess: async (detail, { prepared }) => {
      unanswered.current = null;
      await onSuccess(detail, prepared);
    },
    onError: (error) => {
      // Only a request that got no answer may have been applied: it keeps its key for the retry.
      if (!isNetworkError(error)) unanswered.current = null;
      onFailed();
    },
  });
}

/**
 * The frame of every action form: the fields, the Spanish error of the server in role="alert"
 * (with a reload button when the record changed meanwhile), and the submit button.
 */
export function ActionForm<P extends PreparedWrite, D>({
  version,
  send,
  onSuccess,
  prepare,
  submitLabel,
  onReload,
  reloadLabel,
  errorTestId,
  children,
  testId,
}: {
  version: number;
  send: (prepared: P, version: number, key: string) => Promise<D>;
  onSuccess: (detail: D, prepared: P) => Promise<unknown>;
  /** The action and its input, or null when a field needs correcting (the form has shown it). */
  prepare: () => P | null;
  submitLabel: string;
  onReload: () => void;
  reloadLabel: string;
  errorTestId: string;
  children: ReactNode;
  testId?: string | undefined;
}) {
  const feedbackRef = useRef<HTMLDivElement>(null);
  const write = useIdempotentWrite({ send, onSuccess, onFailed: () => feedbackRef.current?.focus() });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (write.isPending) return;
    const prepared = prepare();
    if (prepared === null) {
      write.reset();
      return;
    }
    write.mutate({ prepared, version });
  }

  return (
    <form className="form case-form" onSubmit={handleSubmit} noValidate aria-busy={write.isPending} data-testid={testId}>
      {children}
      <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
        {write.isError && (
          <div role="alert" className="notice notice--error" data-testid={errorTestId}>
            <p>{errorMessage(write.error)}</p>
            {isNetworkError(write.error) && <p>Puede volver a enviarlo: si ya se había registrado, no se registrará dos veces.</p>}
            {isStaleVersion(write.error) && (
              <button type="button" className="button button--secondary" onClick={onReload}>
                {reloadLabel}
              </button>
            )}
          </div>
        )}
        <div role="status" className="status">
          {write.isPending ? 'Registrando…' : ''}
        </div>
      </div>
      <div>
        <button type="submit" className="button button--primary case-form__submit" disabled={write.isPending}>
          {write.isPending ? 'Registrando…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
