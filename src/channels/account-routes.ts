import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { type AccountRow, createAccount, deleteAccount, listAccounts } from './account-service.ts';

const tags = ['channels'];
const config = { minRole: 'admin' as const };
const kinds = ['generic', 'whatsapp', 'telegram', 'twilio'] as const;

const accountSchema = z.object({
  id: z.string(),
  kind: z.enum(kinds),
  name: z.string(),
  settings: z.record(z.string(), z.string()),
  webhookPath: z.string().describe('Where the platform posts to us (relative to the public URL).'),
  active: z.boolean(),
  createdAt: z.string(),
});

const webhookPaths: Record<(typeof kinds)[number], string> = {
  generic: 'messaging/generic',
  whatsapp: 'messaging/whatsapp',
  telegram: 'messaging/telegram',
  twilio: 'twilio',
};

// Secrets go in and never come out.
const present = (row: AccountRow) => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  settings: row.settings,
  webhookPath: `/api/v1/channels/${webhookPaths[row.kind]}/${row.id}${row.kind === 'twilio' ? '/voice' : ''}`,
  active: row.active,
  createdAt: row.createdAt.toISOString(),
});

const accountBody = z.strictObject({
  kind: z.enum(kinds),
  name: z.string().max(200),
  secret: z
    .string()
    .min(8)
    .max(500)
    .describe(
      'Verifies what arrives: the HMAC key (generic), the app secret (WhatsApp), the secret_token given ' +
        'to setWebhook (Telegram), the auth token (Twilio).',
    ),
  token: z
    .string()
    .max(2000)
    .optional()
    .describe('Sends: the access token (WhatsApp) or bot token (Telegram).'),
  verifyToken: z.string().max(200).optional().describe("WhatsApp's hub.verify_token."),
  settings: z
    .record(z.string().max(50), z.string().max(2000))
    .optional()
    .describe(
      'generic: outboundUrl; whatsapp: phoneNumberId, apiBase, apiVersion; telegram: apiBase. Base URLs ' +
        'default to the platforms’ own.',
    ),
});

export function registerAccountRoutes(app: App, deps: Deps) {
  const { db, secretBox } = deps;
  app.get(
    '/api/v1/channels/accounts',
    { config, schema: { tags, response: { 200: z.object({ data: z.array(accountSchema) }) } } },
    async (request) => ({ data: (await listAccounts(db, actorOf(request))).map(present) }),
  );
  app.post(
    '/api/v1/channels/accounts',
    { config, schema: { tags, body: accountBody, response: { 201: accountSchema } } },
    async (request, reply) =>
      reply.status(201).send(present(await createAccount(db, secretBox, actorOf(request), request.body))),
  );
  app.delete(
    '/api/v1/channels/accounts/:id',
    { config, schema: { tags, params: idParams } },
    async (request, reply) => {
      await deleteAccount(db, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
