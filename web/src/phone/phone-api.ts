import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, query } from '../api/client.ts';

export const callOutcomes = [
  'answered',
  'missed',
  'voicemail',
  'busy',
  'no_answer',
  'failed',
  'canceled',
  'in_progress',
] as const;
export type CallOutcome = (typeof callOutcomes)[number];
export type CallDirection = 'inbound' | 'outbound';

/** A call log as GET /api/v1/calls presents it. */
export type Call = {
  id: string;
  direction: CallDirection;
  number: string;
  durationSeconds: number;
  outcome: string;
  recordingUrl: string | null;
  notes: string;
  customerId: string;
  ticketId: string | null;
  messageId: string | null;
  userId: string | null;
  provider: 'twilio' | null;
  startedAt: string;
};

export type CallbackStatus = 'pending' | 'done' | 'cancelled';
export type Callback = {
  id: string;
  customerId: string;
  ticketId: string | null;
  phone: string;
  preferredAt: string;
  timeZone: string;
  notes: string;
  status: CallbackStatus;
  createdAt: string;
};

export type LogCallInput = {
  direction: CallDirection;
  number: string;
  durationSeconds: number;
  outcome: CallOutcome;
  recordingUrl: string | null;
  notes: string;
  customerId: string;
  ticketId: string;
};

export const callsKey = (customerId: string) => ['calls', customerId] as const;
export const callbacksKey = ['callbacks'] as const;

export function useCustomerCalls(customerId: string) {
  return useQuery({
    queryKey: callsKey(customerId),
    queryFn: () => api<{ data: Call[] }>(`/calls${query({ customerId, limit: 5 })}`),
    select: (r) => r.data,
  });
}

/** The callback queue: pending requests soonest first. */
export function useCallbacks(status: CallbackStatus = 'pending') {
  return useQuery({
    queryKey: [...callbacksKey, status],
    queryFn: () => api<{ data: Callback[] }>(`/callbacks${query({ status, limit: 200 })}`),
    select: (r) => r.data,
  });
}

export function useSetCallbackStatus() {
  const client = useQueryClient();
  return useMutation<Callback, ApiError, { id: string; status: CallbackStatus }>({
    mutationFn: ({ id, status }) => api<Callback>(`/callbacks/${id}`, { method: 'PATCH', body: { status } }),
    onSettled: () => client.invalidateQueries({ queryKey: callbacksKey }),
  });
}

/** "3m 12s", as the server writes a call on the timeline. */
export function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** The preferred time on the customer's clock, e.g. "Thu 10 Dec, 16:00". */
export function customerClock(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString();
  }
}
