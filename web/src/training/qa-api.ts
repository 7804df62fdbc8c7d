import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export type Criterion = {
  key: string;
  label: string;
  description: string;
  weight: number;
  max: number;
  signal: string | null;
};
export type Rubric = { id: string; name: string; active: boolean; criteria: Criterion[] };
export type Scores = Record<string, number | null>;
export type Review = {
  id: string;
  ticketId: string;
  rubricId: string;
  reviewerId: string | null;
  agentId: string | null;
  automatic: boolean;
  scores: Scores;
  total: number;
  comment: string;
  updatedAt: string;
};
export type TicketLabel = { number: number; subject: string };
export type CriterionSpread = { key: string; min: number; max: number; spread: number; disagree: boolean };
export type Calibration = {
  reviewers: number;
  totals: number[];
  totalSpread: number;
  disagree: boolean;
  criteria: CriterionSpread[];
};
export type TicketCalibration = Calibration & {
  ticketId: string;
  ticket: TicketLabel;
  reviews: { reviewerId: string; total: number; scores: Scores }[];
};
export type QueueItem = {
  id: string;
  number: number;
  subject: string;
  assigneeId: string | null;
  solvedAt: string | null;
};

export const useRubrics = () =>
  useQuery({
    queryKey: ['qa', 'rubrics'],
    queryFn: () => api<{ data: Rubric[] }>('/qa/rubrics').then((r) => r.data),
  });

export const useReviewQueue = () =>
  useQuery({
    queryKey: ['qa', 'queue'],
    queryFn: () => api<{ data: QueueItem[] }>('/qa/queue?limit=20').then((r) => r.data),
  });

export const ticketReviewsKey = (ticketId: string) => ['qa', 'ticket', ticketId] as const;
export const useTicketReviews = (ticketId: string) =>
  useQuery({
    queryKey: ticketReviewsKey(ticketId),
    queryFn: () =>
      api<{ reviews: Review[]; calibration: (Calibration & { rubricId: string })[] }>(
        `/qa/tickets/${ticketId}/reviews`,
      ),
  });

export const useMyReviews = () =>
  useQuery({
    queryKey: ['qa', 'reviews'],
    queryFn: () => api<{ data: (Review & { ticket: TicketLabel })[] }>('/qa/reviews').then((r) => r.data),
  });

export const useCalibration = (rubricId: string | undefined) =>
  useQuery({
    queryKey: ['qa', 'calibration', rubricId],
    enabled: Boolean(rubricId),
    queryFn: () =>
      api<{
        agreement: number | null;
        disagreeing: number;
        tickets: TicketCalibration[];
      }>(`/qa/rubrics/${rubricId}/calibration`),
  });
