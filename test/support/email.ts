import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** A support address no other test uses (addresses are unique across the install). */
export const uniqueAddress = (label = 'support') => `${label}-${randomUUID().slice(0, 8)}@help.example.test`;

/** A real MIME message built by nodemailer's composer, as a mail client would send it. */
export async function composeEmail(options: Mail.Options & { messageId?: string }): Promise<Buffer> {
  return new MailComposer({
    messageId: options.messageId ?? `<${randomUUID()}@client.example.test>`,
    date: new Date('2026-11-30T10:00:00Z'),
    ...options,
  })
    .compile()
    .build();
}
