import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api/client';
import type { Session } from './api/types';

export const sessionQueryKey = ['session'] as const;

/** Set on a mutation whose 401 means "wrong password", not "session ended" (the login form). */
export interface MutationMeta extends Record<string, unknown> {
  unauthorizedIsExpected?: boolean;
}

function isUnauthorized(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

/**
 * One client for the app. Any 401 from a data request means the session is gone: the session
 * query is set to null, and the protected layout then sends the user to /ingresar, remembering
 * where he was.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.queryKey[0] === sessionQueryKey[0]) return;
        if (isUnauthorized(error)) queryClient.setQueryData<Session | null>(sessionQueryKey, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        const meta = mutation.meta as MutationMeta | undefined;
        if (meta?.unauthorizedIsExpected) return;
        if (isUnauthorized(error)) queryClient.setQueryData<Session | null>(sessionQueryKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors (401, 403, 404…) will not change by retrying; network and 5xx may.
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
