import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export type ScenarioSummary = {
  key: string;
  title: string;
  category: string;
  difficulty: 'easy' | 'medium' | 'hard';
  persona: { name: string; mood: number; style: string };
  situation: string;
};
export type Quote = { text: string; note: string; better?: string };
export const dimensions = [
  'empathy',
  'clarity',
  'discovery',
  'resolution',
  'timeToRespond',
  'kbConsistency',
] as const;
export type Dimension = (typeof dimensions)[number];
export type Scorecard = {
  outcome: 'passed' | 'failed';
  reason: string;
  overall: number;
  dimensions: Record<Dimension, { score: number; summary: string; quotes: Quote[] }>;
};
export type TrainingSession = {
  id: string;
  agentId: string;
  scenarioKey: string;
  title: string;
  customerName: string;
  situation: string;
  status: 'active' | 'passed' | 'failed';
  mood: number;
  transcript: { role: 'customer' | 'agent'; text: string; at: string }[];
  score: number | null;
  scorecard: Scorecard | null;
  startedAt: string;
};
export type ReplyResult = { customer: string; ended: boolean; session: TrainingSession };

export const sessionKey = (id: string) => ['training', 'session', id] as const;

export const useScenarios = () =>
  useQuery({
    queryKey: ['training', 'scenarios'],
    queryFn: () => api<{ data: ScenarioSummary[] }>('/training/scenarios').then((r) => r.data),
  });

/** Score history, newest first; a lead may narrow it to one agent. */
export const useHistory = (agentId?: string) =>
  useQuery({
    queryKey: ['training', 'history', agentId ?? 'all'],
    queryFn: () =>
      api<{ data: HistoryItem[] }>(
        `/training/sessions?limit=30${agentId ? `&agent_id=${encodeURIComponent(agentId)}` : ''}`,
      ).then((r) => r.data),
  });

export const useSession = (id: string) =>
  useQuery({ queryKey: sessionKey(id), queryFn: () => api<TrainingSession>(`/training/sessions/${id}`) });

export type HistoryItem = {
  id: string;
  agentId: string;
  scenarioKey: string;
  title: string;
  status: 'active' | 'passed' | 'failed';
  score: number | null;
  startedAt: string;
};
export type Assignment = {
  id: string;
  scenarioKey: string;
  agentId: string;
  assignedByUserId: string | null;
  note: string;
  dueAt: string | null;
  completedSessionId: string | null;
  createdAt: string;
};
export type SessionComment = { id: string; authorUserId: string | null; body: string; createdAt: string };

export const assignmentsKey = ['training', 'assignments'] as const;
export const useAssignments = () =>
  useQuery({
    queryKey: assignmentsKey,
    queryFn: () => api<{ data: Assignment[] }>('/training/assignments').then((r) => r.data),
  });

export const commentsKey = (sessionId: string) => ['training', 'comments', sessionId] as const;
export const useComments = (sessionId: string) =>
  useQuery({
    queryKey: commentsKey(sessionId),
    queryFn: () =>
      api<{ data: SessionComment[] }>(`/training/sessions/${sessionId}/comments`).then((r) => r.data),
  });
