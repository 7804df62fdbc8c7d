/** A URL safe to print: its password (an S3 secret, a Redis password) replaced by ***. */
export function redactedUrl(url: string, fallback: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return fallback;
  }
}
