import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { CoachHints } from '../intel/coach-bar.tsx';
import { ComposerFrame } from '../ticket/composer-frame.tsx';
import { assignmentsKey, type ReplyResult, sessionKey, type TrainingSession } from './training-api.ts';

/**
 * The ticket composer on a practice conversation: the same box, keys and reply coach; what it sends
 * goes to the simulated customer, so there are no canned responses, files or ticket statuses.
 */
export function PracticeComposer({ session }: { session: TrainingSession }) {
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const lastCustomer = session.transcript.findLast((e) => e.role === 'customer')?.text;
  const save = (next: TrainingSession) => {
    client.setQueryData(sessionKey(session.id), next);
    void client.invalidateQueries({ queryKey: ['training', 'history'] });
    void client.invalidateQueries({ queryKey: assignmentsKey });
  };
  const send = useMutation({
    mutationFn: () => api<ReplyResult>(`/training/sessions/${session.id}/replies`, { body: { text: body } }),
    onSuccess: (result) => {
      setBody('');
      save(result.session);
    },
  });
  const finish = useMutation({
    mutationFn: () => api<TrainingSession>(`/training/sessions/${session.id}/finish`, { body: {} }),
    onSuccess: save,
  });
  return (
    <ComposerFrame
      tone="reply"
      label={t('training.replyLabel', { name: session.customerName })}
      body={body}
      onBody={setBody}
      onSend={() => send.mutate()}
      canSend={Boolean(body.trim()) && !send.isPending}
      sendLabel={send.isPending ? t('ticket.sending') : t('training.send')}
      below={<CoachHints text={body} customerText={lastCustomer} onText={setBody} />}
      actions={
        <button type="button" onClick={() => finish.mutate()} disabled={finish.isPending}>
          {t('training.finish')}
        </button>
      }
      error={send.error ?? finish.error}
    />
  );
}
