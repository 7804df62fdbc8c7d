// Lines that start the history a mail client quotes below (or above) a reply, or a signature.
const HISTORY_MARKERS = [
  /^On .{4,200}wrote:\s*$/, // Gmail, Apple Mail, Thunderbird
  /^Le .{4,200}a écrit\s*:\s*$/,
  /^Am .{4,200}schrieb .{0,100}:\s*$/,
  /^El .{4,200}escribió:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: … Sent: …"
  /^From:\s.+\n(Sent|Date):\s/m,
  /^Von:\s.+\n(Gesendet|Datum):\s/m,
];
const SIGNATURE = /^-- ?$/;
const SENT_FROM = /^Sent from my \w+/i;

/**
 * Where the quoted history or the signature starts in a plain-text message, as a character offset, so a
 * display can fold it away while the full text is kept; null when the whole text is the new part. Never
 * folds the first line: a message that is all quote is shown as it is.
 */
export function findQuoteStart(text: string): number | null {
  const lines = text.split('\n');
  let offset = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const trimmed = line.trim();
    if (index > 0 && offset > 0) {
      const withNext = `${trimmed}\n${(lines[index + 1] ?? '').trim()}`;
      const quotedBlock =
        trimmed.startsWith('>') &&
        lines
          .slice(index)
          .every(
            (l) => !l.trim() || l.trim().startsWith('>') || HISTORY_MARKERS.some((m) => m.test(l.trim())),
          );
      if (
        HISTORY_MARKERS.some((marker) => marker.test(trimmed) || marker.test(withNext)) ||
        SIGNATURE.test(line) ||
        SENT_FROM.test(trimmed) ||
        quotedBlock
      ) {
        return text.slice(0, offset).trim() ? offset : null;
      }
    }
    offset += line.length + 1;
  }
  return null;
}
