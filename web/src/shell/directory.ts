import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Member, Team } from '../api/types.ts';

/** The workspace's people and teams, cached for labels and pickers across the console. */
export function useMembers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ data: Member[] }>('/users'),
    select: (r) => r.data,
    staleTime: 60_000,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => api<{ data: Team[] }>('/teams'),
    select: (r) => r.data,
    staleTime: 60_000,
  });
}

export function useMemberName(): (id: string | null) => string | undefined {
  const { data } = useMembers();
  return (id) => (id ? data?.find((m) => m.id === id)?.name : undefined);
}
