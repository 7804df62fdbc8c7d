import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { intakeEmail } from './inbound-intake.ts';
import { hasSupportAddresses, matchSupportAddresses } from './inbound-routing.ts';
import type { IntakeDeps, IntakeResult } from './inbound-types.ts';

/** An SMTP error the client sees with its code (smtp-server reads `responseCode`). */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Reads the DATA stream whole; resolves to null when it passed the size limit (the rest is drained). */
async function readMessage(stream: Readable & { sizeExceeded?: boolean }): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) if (!stream.sizeExceeded) chunks.push(chunk as Buffer);
  return stream.sizeExceeded ? null : Buffer.concat(chunks);
}

function replyFor(result: IntakeResult): string {
  switch (result.status) {
    case 'stored':
      return `OK stored as message ${result.messageId}`;
    case 'duplicate':
      return 'OK already have this message';
    case 'bounce':
      return 'OK delivery report recorded';
    case 'quarantined':
      return 'OK held for review';
  }
}

export type SmtpIngress = { port: number; close(): Promise<void> };

/**
 * The inbound mail server. Answers 250 only once intakeEmail has committed the message; any failure to
 * store it answers 451, so the sending server keeps it and tries again later. Recipients are refused at
 * RCPT when the install has support addresses and none of them matches.
 */
export async function startSmtpIngress(
  deps: IntakeDeps,
  options: { port?: number; host?: string } = {},
): Promise<SmtpIngress> {
  const { config, logger } = deps;
  const tls =
    config.RAPPORT_SMTP_TLS_KEY && config.RAPPORT_SMTP_TLS_CERT
      ? { key: readFileSync(config.RAPPORT_SMTP_TLS_KEY), cert: readFileSync(config.RAPPORT_SMTP_TLS_CERT) }
      : undefined;
  const serverOptions: SMTPServerOptions = {
    name: new URL(config.RAPPORT_PUBLIC_URL ?? 'http://localhost').hostname,
    banner: 'Rapport',
    size: config.RAPPORT_SMTP_MAX_BYTES,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    maxClients: 200,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      (async () => {
        if (!(await hasSupportAddresses(deps.db))) return callback();
        const matched = await matchSupportAddresses(deps.db, [address.address]);
        callback(matched.length ? undefined : smtpError(550, 'No such mailbox here'));
      })().catch((error: unknown) => {
        logger.warn({ err: error }, 'smtp: recipient check failed');
        callback(smtpError(451, 'Temporary failure, try again later'));
      });
    },
    onData(stream, session, callback) {
      (async () => {
        const raw = await readMessage(stream);
        if (!raw)
          return callback(smtpError(552, `Message larger than ${config.RAPPORT_SMTP_MAX_BYTES} bytes`));
        const mailFrom = session.envelope.mailFrom;
        const result = await intakeEmail(deps, {
          raw,
          source: 'smtp',
          recipients: session.envelope.rcptTo.map((r) => r.address),
          envelopeFrom: mailFrom ? mailFrom.address : '',
        });
        callback(null, replyFor(result));
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'smtp: could not store a message; the sender will retry');
        callback(smtpError(451, 'Could not store the message now, try again later'));
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', (error) => logger.warn({ err: error }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? config.RAPPORT_SMTP_PORT, options.host ?? config.RAPPORT_SMTP_HOST, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
