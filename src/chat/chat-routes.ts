import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { DomainError } from '../platform/errors.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { registerChatFileRoutes } from './chat-file-routes.ts';
import { forVisitor } from './chat-files.ts';
import { messagesAfter } from './chat-history.ts';
import { touchVisitors } from './chat-presence.ts';
import { createChatRegistry } from './chat-registry.ts';
import {
  chatMessageSchema,
  conversationSchema,
  conversationStateSchema,
  settingsPatch,
  settingsSchema,
  widgetConfigSchema,
  workspaceQuery,
} from './chat-schemas.ts';
import {
  conversationState,
  markAgentRead,
  ownConversation,
  type VisitorContext,
  visitorConversations,
} from './chat-service.ts';
import {
  chatWorkspace,
  getChatSettings,
  identitySecret,
  updateChatSettings,
  verifiedUser,
  visitorIdOf,
  withinOfficeHours,
} from './chat-settings.ts';
import { type ChatSocketOptions, createChatSockets } from './chat-socket.ts';
import { registerWidgetRoutes } from './widget-routes.ts';

const tags = ['chat'];
const admin = { minRole: 'admin' as const };
// Public endpoints: generous for one page, tight enough that a script cannot scrape or flood.
const publicLimit = { max: 120, timeWindow: '1 minute' };

/** Live chat: the visitor socket and widget endpoints (public), and the settings and agent endpoints. */
export function registerChatRoutes(app: App, deps: Deps, options: ChatSocketOptions = {}) {
  const { db, secretBox, clock } = deps;
  const sockets = createChatSockets(deps, createChatRegistry(deps.hub), options);

  // Keeps this node's visitors marked online for agents on every node (see ONLINE_FRESH_SECONDS).
  const touch = setInterval(() => {
    touchVisitors(db, sockets.connected()).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'could not refresh chat visitors'),
    );
  }, 30_000);
  touch.unref();
  app.addHook('onClose', async () => clearInterval(touch));
  registerWidgetRoutes(app);
  registerChatFileRoutes(app, deps);

  app.get(
    '/api/v1/chat/ws',
    {
      websocket: true,
      // Reconnects are cheap and bursty (a network blip reconnects everyone behind one office NAT).
      config: {
        public: true,
        rateLimit: {
          max: Math.max(120, deps.config.RAPPORT_CHAT_CONNECTIONS_PER_IP * 6),
          timeWindow: '1 minute',
        },
      },
      schema: { tags, hide: true, querystring: workspaceQuery },
    },
    (socket, request) => sockets.handle(socket, request, (request.query as { workspace: string }).workspace),
  );

  app.get(
    '/api/v1/chat/widget',
    {
      config: { public: true, rateLimit: publicLimit },
      schema: {
        tags,
        description:
          'What the widget shows before anyone writes: branding, greeting, office hours, pre-chat form.',
        querystring: workspaceQuery,
        response: { 200: widgetConfigSchema },
      },
    },
    async (request, reply) => {
      const workspace = await chatWorkspace(db, secretBox, request.query.workspace);
      if (!workspace.settings.enabled) throw new DomainError('not_found', 'Chat is not enabled here');
      const { settings } = workspace;
      // Read by the widget from the customer's site: any origin, and nothing secret in it.
      reply.header('cache-control', 'public, max-age=30').header('access-control-allow-origin', '*');
      return {
        workspace: { id: workspace.id, name: workspace.name },
        brandColor: settings.brandColor,
        title: settings.title || workspace.name,
        greeting: settings.greeting,
        avatarUrls: settings.avatarUrls,
        online: withinOfficeHours(settings.officeHours, clock.now()),
        replyTime: settings.replyTime,
        offlineMessage: settings.offlineMessage,
        preChatForm: settings.preChatForm,
        limits: { maxMessageChars: deps.config.RAPPORT_CHAT_MAX_MESSAGE_CHARS },
      };
    },
  );

  app.get(
    '/api/v1/chat/history',
    {
      config: { public: true, rateLimit: publicLimit },
      schema: {
        tags,
        description:
          "A visitor's conversations and, with `conversation`, its messages after `after`. Send the visitor token in `x-rapport-visitor` (and a verified user in `x-rapport-user-id` / `x-rapport-user-hash`).",
        querystring: workspaceQuery.extend({
          conversation: z.uuid().optional(),
          after: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({ conversations: z.array(conversationSchema), messages: z.array(chatMessageSchema) }),
        },
      },
    },
    async (request) => {
      const workspace = await chatWorkspace(db, secretBox, request.query.workspace);
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const visitorId = visitorIdOf(workspace, header('x-rapport-visitor') ?? '');
      if (!visitorId) throw new DomainError('unauthenticated', 'Send a visitor token this workspace issued');
      const userId = header('x-rapport-user-id');
      const userHash = header('x-rapport-user-hash');
      if (userId && !verifiedUser(workspace, userId, userHash ?? ''))
        throw new DomainError('forbidden', 'Identity verification failed');
      const visitor: VisitorContext = {
        workspaceId: workspace.id,
        visitorId,
        externalId: userId ?? null,
        name: null,
        email: null,
      };
      const conversations = await visitorConversations(db, visitor);
      const { conversation, after } = request.query;
      if (!conversation) return { conversations, messages: [] };
      await ownConversation(db, visitor, conversation);
      const found = await messagesAfter(db, workspace.id, conversation, after);
      return { conversations, messages: found.map((message) => forVisitor(workspace, message)) };
    },
  );

  app.get(
    '/api/v1/chat/settings',
    { config: admin, schema: { tags, response: { 200: settingsSchema } } },
    async (request) => getChatSettings(db, secretBox, actorOf(request)),
  );

  app.put(
    '/api/v1/chat/settings',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Changes the widget: colour, greeting, avatars, office hours (weekday 0 = Sunday), pre-chat form.',
        body: settingsPatch,
        response: { 200: settingsSchema },
      },
    },
    async (request) => updateChatSettings(db, secretBox, actorOf(request), request.body),
  );

  const secretSchema = z.object({ secret: z.string() });
  app.get(
    '/api/v1/chat/identity-secret',
    {
      config: admin,
      schema: {
        tags,
        description: 'The secret your server signs user ids with: hex HMAC-SHA256(secret, userId).',
        response: { 200: secretSchema },
      },
    },
    async (request) => ({ secret: await identitySecret(db, secretBox, actorOf(request), false) }),
  );

  app.post(
    '/api/v1/chat/identity-secret/rotate',
    { config: admin, schema: { tags, response: { 200: secretSchema } } },
    async (request) => ({ secret: await identitySecret(db, secretBox, actorOf(request), true) }),
  );

  app.get(
    '/api/v1/chat/conversations/:id',
    {
      schema: {
        tags,
        description:
          "A chat ticket's live state: whether the visitor is online, the page they are on, read marks.",
        params: idParams,
        response: { 200: conversationStateSchema },
      },
    },
    async (request) => conversationState(db, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/chat/conversations/:id/read',
    {
      config: { minRole: 'light' },
      schema: {
        tags,
        description:
          'Marks the chat read by the agents (up to `seq`, or all of it); the visitor sees the receipt.',
        params: idParams,
        body: z.object({ seq: z.number().int().min(0).optional() }).optional(),
        response: { 200: z.object({ agentReadSeq: z.number() }) },
      },
    },
    async (request) => ({
      agentReadSeq: await markAgentRead(db, actorOf(request), request.params.id, request.body?.seq),
    }),
  );
}
