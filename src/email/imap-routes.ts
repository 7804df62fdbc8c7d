import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  createMailbox,
  deleteMailbox,
  getMailbox,
  listMailboxes,
  pollMailboxNow,
  updateMailbox,
} from './imap-mailbox-service.ts';
import { createImapPoller } from './imap-poller.ts';
import {
  createMailboxBody,
  mailboxSchema,
  pollResultSchema,
  presentMailbox,
  presentPollResult,
  updateMailboxBody,
} from './imap-schemas.ts';
import { intakeEmail } from './inbound-intake.ts';

const tags = ['email'];
const config = { minRole: 'admin' as const };
const base = '/api/v1/channels/email/mailboxes';

/** Admin-only configuration of the IMAP mailboxes the worker polls, and polling one on demand. */
export function registerImapRoutes(app: App, deps: Deps) {
  const { db } = deps;
  // Poll-now runs here on the web node; the claim keeps it from overlapping a worker's poll.
  const poller = createImapPoller(deps, { intake: (input) => intakeEmail(deps, input) });

  app.get(
    base,
    { config, schema: { tags, response: { 200: z.object({ data: z.array(mailboxSchema) }) } } },
    async (request) => ({ data: (await listMailboxes(db, actorOf(request))).map(presentMailbox) }),
  );

  app.post(
    base,
    {
      config,
      schema: {
        tags,
        description:
          'Adds an existing mailbox for the worker to poll over IMAP every RAPPORT_IMAP_POLL_SECONDS. ' +
          'Every message in the folder becomes a ticket or a reply; each is marked \\Seen once taken in.',
        body: createMailboxBody,
        response: { 201: mailboxSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentMailbox(await createMailbox(deps, actorOf(request), request.body))),
  );

  app.get(
    `${base}/:id`,
    { config, schema: { tags, params: idParams, response: { 200: mailboxSchema } } },
    async (request) => presentMailbox(await getMailbox(db, actorOf(request), request.params.id)),
  );

  app.patch(
    `${base}/:id`,
    { config, schema: { tags, params: idParams, body: updateMailboxBody, response: { 200: mailboxSchema } } },
    async (request) =>
      presentMailbox(await updateMailbox(deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    `${base}/:id`,
    { config, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteMailbox(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/:id/poll`,
    {
      config,
      schema: {
        tags,
        description:
          'Polls the mailbox now (also when paused) and answers how many messages were taken in, or why ' +
          'it could not connect. 422 while another poll holds the mailbox.',
        params: idParams,
        response: { 200: pollResultSchema },
      },
    },
    async (request) => {
      const { outcome, mailbox } = await pollMailboxNow(db, poller, actorOf(request), request.params.id);
      return presentPollResult(outcome, mailbox);
    },
  );
}
