import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

export type ArticleSuggestion = {
  question: string;
  confidence: number;
  confident: boolean;
  threshold: number;
  articles: { id: string; title: string; url: string; excerpt: string }[];
};
export type TriageSuggestion = {
  id: string;
  category: string;
  confidence: number;
  alternatives: { label: string; confidence: number }[];
  state: 'applied' | 'proposed' | 'accepted' | 'corrected';
};
export type TicketMood = {
  ticket: { label: string; trend: string; frustration: number; urgency: number; messages: number } | null;
  messages: { messageId: string; label: string; signals: string[] }[];
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

export function useArticleSuggestions(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'articles'],
    queryFn: () => api<ArticleSuggestion>(`/answer-bot/tickets/${ticketId}/suggestions`),
  });
}

export function useMood(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'sentiment'],
    queryFn: () => api<TicketMood>(`/intel/tickets/${ticketId}/sentiment`),
  });
}

export function useTriage(ticketId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'intel', 'triage'],
    queryFn: () => api<{ suggestion: TriageSuggestion | null }>(`/intel/tickets/${ticketId}/triage`),
    select: (r) => r.suggestion,
  });
}

/** The model's categories, to correct a suggestion with; they change only when it retrains. */
export function useTriageLabels() {
  return useQuery({
    queryKey: ['intel', 'triage', 'labels'],
    queryFn: () => api<{ model: { labels: string[] } | null }>('/intel/triage/status'),
    select: (r) => r.model?.labels ?? [],
    staleTime: 5 * 60_000,
  });
}

/** Accepts (the same category) or corrects triage; the ticket's fields change with it. */
export function useTriageVerdict(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (category: string) =>
      api(`/intel/tickets/${ticketId}/triage/feedback`, { body: { category } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ticketKey(ticketId) }),
  });
}

const DRAFT_EVENT = 'rapport:intel-draft';
/** `replace` takes the text as the whole draft; `insert` puts it where the agent's cursor is. */
export type DraftHow = 'replace' | 'insert';
type DraftRequest = { ticketId: string; body: string; how: DraftHow };

/** Asks the ticket's composer to take this text into its reply draft (the side panel's buttons). */
export function requestDraft(ticketId: string, body: string, how: DraftHow = 'replace') {
  window.dispatchEvent(new CustomEvent<DraftRequest>(DRAFT_EVENT, { detail: { ticketId, body, how } }));
}

/**
 * The composer's side of requestDraft: switches to reply mode when needed and fills the draft once
 * the reply draft is the one being edited.
 */
export function useDraftRequests(
  ticketId: string,
  replying: boolean,
  fill: (body: string, how: DraftHow) => void,
  startReply: () => void,
) {
  const [pending, setPending] = useState<Omit<DraftRequest, 'ticketId'> | undefined>(undefined);
  const latest = useRef({ fill, startReply });
  latest.current = { fill, startReply };
  useEffect(() => {
    const onRequest = (event: Event) => {
      const { detail } = event as CustomEvent<DraftRequest>;
      if (detail.ticketId !== ticketId) return;
      setPending({ body: detail.body, how: detail.how });
      latest.current.startReply();
    };
    window.addEventListener(DRAFT_EVENT, onRequest);
    return () => window.removeEventListener(DRAFT_EVENT, onRequest);
  }, [ticketId]);
  useEffect(() => {
    if (pending === undefined || !replying) return;
    latest.current.fill(pending.body, pending.how);
    setPending(undefined);
  }, [pending, replying]);
}
