import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { CoachRules } from '../../../src/intel/coach-rules.ts';
import { api } from '../api/client.ts';
import { ticketKey } from '../ticket/ticket-api.ts';

export type SimilarTicket = {
  ticketId: string;
  number: number;
  subject: string;
  status: string;
  solvedAt: string | null;
  score: number;
  reply: { messageId: string; body: string; draft: string };
};
export type SummarySentence = { messageId: string; kind: string; text: string; reasons: string[] };
export type ThreadSummary = { sentences: SummarySentence[]; sentenceCount: number; long: boolean };
export type TicketLanguages = {
  language: string;
  messages: { messageId: string; language: string; confidence: number }[];
};

/** The workspace's coach rules: they change rarely, so one fetch serves every ticket of the visit. */
export function useCoachRules() {
  return useQuery({
    queryKey: ['intel', 'coach-rules'],
    queryFn: () => api<{ rules: CoachRules; custom: boolean }>('/intel/coach/rules'),
    select: (r) => r.rules,
    staleTime: 5 * 60_000,
  });
}

// Under the ticket's key, so they refresh when the ticket's stream says something changed.
export function useSimilar(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'similar'],
    queryFn: () => api<{ data: SimilarTicket[] }>(`/intel/tickets/${ticketId}/similar`),
    select: (r) => r.data,
  });
}

export function useSummary(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'summary'],
    queryFn: () => api<ThreadSummary>(`/intel/tickets/${ticketId}/summary`),
  });
}

export function useLanguages(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'languages'],
    queryFn: () => api<TicketLanguages>(`/intel/tickets/${ticketId}/languages`),
  });
}

const DRAFT_EVENT = 'rapport:intel-draft';
type DraftRequest = { ticketId: string; body: string };

/** Asks the ticket's composer to take this text as its reply draft (the side panel's "use as draft"). */
export function requestDraft(ticketId: string, body: string) {
  window.dispatchEvent(new CustomEvent<DraftRequest>(DRAFT_EVENT, { detail: { ticketId, body } }));
}

/**
 * The composer's side of requestDraft: switches to reply mode when needed and fills the draft once
 * the reply draft is the one being edited.
 */
export function useDraftRequests(
  ticketId: string,
  replying: boolean,
  fill: (body: string) => void,
  startReply: () => void,
) {
  const [pending, setPending] = useState<string | undefined>(undefined);
  const latest = useRef({ fill, startReply });
  latest.current = { fill, startReply };
  useEffect(() => {
    const onRequest = (event: Event) => {
      const { detail } = event as CustomEvent<DraftRequest>;
      if (detail.ticketId !== ticketId) return;
      setPending(detail.body);
      latest.current.startReply();
    };
    window.addEventListener(DRAFT_EVENT, onRequest);
    return () => window.removeEventListener(DRAFT_EVENT, onRequest);
  }, [ticketId]);
  useEffect(() => {
    if (pending === undefined || !replying) return;
    latest.current.fill(pending);
    setPending(undefined);
  }, [pending, replying]);
}
