import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';

export const meKey = ['me'] as const;

// Another person's (or workspace's) cached data must not survive a sign-in or sign-out;
// the session query stays so the components watching it hear the change.
const forgetEverythingBut = (client: QueryClient) =>
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });

/** The signed-in agent, or null when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async () => (await api<{ me: Me | null }>('/auth/session')).me,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api<Me>('/auth/login', { body: input }),
    onSuccess: (me) => {
      forgetEverythingBut(client);
      client.setQueryData(meKey, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST' }),
    onSettled: () => {
      forgetEverythingBut(client);
      client.setQueryData(meKey, null);
    },
  });
}
