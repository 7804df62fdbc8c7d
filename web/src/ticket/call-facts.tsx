import type { Message } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { formatDuration } from '../phone/phone-api.ts';

type CallMeta = { direction: string; durationSeconds: number; outcome: string; recordingUrl: string | null };

function callMetaOf(message: Message): CallMeta | undefined {
  const call = message.channelMeta.call;
  if (typeof call !== 'object' || call === null) return undefined;
  const { direction, durationSeconds, outcome, recordingUrl } = call as Record<string, unknown>;
  if (typeof direction !== 'string' || typeof outcome !== 'string') return undefined;
  return {
    direction,
    outcome,
    durationSeconds: typeof durationSeconds === 'number' ? durationSeconds : 0,
    recordingUrl: typeof recordingUrl === 'string' ? recordingUrl : null,
  };
}

// Only web links are followed: a recording URL comes from an agent or a provider's webhook.
const webLink = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

/** A logged call's facts under its message: direction, length, outcome and the recording's link. */
export function CallFacts({ message }: { message: Message }) {
  const call = callMetaOf(message);
  if (!call) return null;
  const recording = webLink(call.recordingUrl);
  return (
    <p className="call-facts">
      <span className="call-badge">
        {t(call.direction === 'inbound' ? 'phone.inboundCall' : 'phone.outboundCall')}
      </span>{' '}
      {formatDuration(call.durationSeconds)} · {call.outcome.replace('_', ' ')}
      {recording && (
        <>
          {' · '}
          <a href={recording} target="_blank" rel="noopener noreferrer">
            {t('phone.recording')}
          </a>
        </>
      )}
    </p>
  );
}
