import type { Channel } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

// Inline outline icons (24-unit grid): no icon font or emoji font needed, crisp at any size.
const paths: Record<Channel, string> = {
  email: 'M3 6h18v12H3z M3 6l9 7 9-7',
  chat: 'M4 5h16v10H9l-5 4z',
  web: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M3 12h18 M12 3c3 3 3 15 0 18 M12 3c-3 3-3 15 0 18',
  api: 'M8 7l-5 5 5 5 M16 7l5 5-5 5 M14 4l-4 16',
  phone: 'M6 3h4l2 5-2.5 1.5a11 11 0 0 0 5 5L16 12l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z',
  social: 'M9 3L7 21 M17 3l-2 18 M4 8h17 M3 16h17',
};

export function ChannelIcon({ channel }: { channel: Channel }) {
  const label = t(`channel.${channel}`);
  return (
    <svg className="channel" viewBox="0 0 24 24" width="16" height="16" role="img" aria-label={label}>
      <title>{label}</title>
      <path
        d={paths[channel]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}
