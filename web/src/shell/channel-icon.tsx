import type { Channel } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

// Small inline glyphs: no icon font to download, and each has a text label for screen readers.
const glyphs: Record<Channel, string> = {
  email: '✉',
  chat: '💬',
  web: '🌐',
  api: '⚙',
  phone: '☎',
  social: '＃',
};

export function ChannelIcon({ channel }: { channel: Channel }) {
  return (
    <span className="channel" role="img" aria-label={t(`channel.${channel}`)} title={t(`channel.${channel}`)}>
      {glyphs[channel]}
    </span>
  );
}
