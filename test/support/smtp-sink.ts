import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** One message the sink accepted: the SMTP envelope and the raw bytes as sent. */
export type SinkMessage = {
  from: string;
  to: string[];
  raw: Buffer;
  /** The user it authenticated as, if it did. */
  user: string | undefined;
  parsed(): Promise<ParsedMail>;
};

/** What the sink answers to DATA instead of 250: an SMTP code and text (4xx temporary, 5xx permanent). */
export type SinkRefusal = { code: number; text?: string };

export type SmtpSink = {
  host: string;
  port: number;
  /** Messages accepted so far, in order. */
  messages: SinkMessage[];
  /** Messages refused so far: read in full, then answered with a 4xx or 5xx. */
  refused: SinkMessage[];
  /** Answer `refusal` instead of 250 for the next `count` messages. */
  refuseNext(count: number, refusal: SinkRefusal): void;
  /** Runs when a message has been read, before the sink answers (to stop a worker mid-way, say). */
  onMessage(listener: (message: SinkMessage) => void | Promise<void>): void;
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback, port 0, that keeps what it receives. Plain text only (STARTTLS off,
 * so the client needs no certificate); with `credentials` it requires AUTH and checks them.
 */
export async function startSmtpSink(
  options: { credentials?: { username: string; password: string } } = {},
): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const refusals: SinkRefusal[] = [];
  const refused: SinkMessage[] = [];
  const listeners: ((message: SinkMessage) => void | Promise<void>)[] = [];
  const { credentials } = options;

  const server = new SMTPServer({
    disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.username && auth.password === credentials.password)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const message: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: session.user,
          parsed: () => simpleParser(raw),
        };
        void (async () => {
          for (const listener of listeners) await listener(message);
          const refusal = refusals.shift();
          if (refusal) {
            refused.push(message);
            const error = new Error(refusal.text ?? `Refused with ${refusal.code}`);
            return callback(Object.assign(error, { responseCode: refusal.code }));
          }
          messages.push(message);
          callback(null, 'Queued');
        })();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    refused,
    refuseNext(count, refusal) {
      for (let i = 0; i < count; i++) refusals.push(refusal);
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
