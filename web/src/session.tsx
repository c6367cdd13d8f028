import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { fetchSession, login, logout } from './api/client';
import type { LoginInput, Me, Session } from './api/types';
import { sessionQueryKey, type MutationMeta } from './query-client';

/** The session as the server sees it: a Session, null (nobody signed in), or pending/error. */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
  });
}

export const CurrentUserContext = createContext<Me | null>(null);

/** The signed-in user; only for components rendered inside the protected layout. */
export function useCurrentUser(): Me {
  const user = useContext(CurrentUserContext);
  if (user === null) throw new Error('useCurrentUser() used outside the protected layout');
  return user;
}

function isSessionQuery(queryKey: readonly unknown[]): boolean {
  return queryKey[0] === sessionQueryKey[0];
}

export function useLogin() {
  const queryClient = useQueryClient();
  const meta: MutationMeta = { unauthorizedIsExpected: true };
  return useMutation({
    mutationFn: (input: LoginInput) => login(input),
    meta,
    onSuccess: (session) => {
      // Nothing cached for a previous user on this device may be shown to the new one.
      queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
      queryClient.setQueryData<Session | null>(sessionQueryKey, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => logout(),
    // Signed out locally whatever the server answers (an expired session is signed out too).
    onSettled: () => {
      queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
      queryClient.setQueryData<Session | null>(sessionQueryKey, null);
    },
  });
}

/** Where to go back after signing in: only a path of this app, never another site. */
export function returnPathFrom(state: unknown): string {
  if (typeof state === 'object' && state !== null) {
    const from = (state as Record<string, unknown>).from;
    const isAppPath =
      typeof from === 'string' &&
      from.startsWith('/') &&
      !from.startsWith('//') &&
      !from.startsWith('/\\') &&
      !from.startsWith('/ingresar');
    if (isAppPath) return from;
  }
  return '/';
}
