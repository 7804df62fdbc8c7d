import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.ts';
import type { App } from '../platform/http/server.ts';
import {
  presentResponse,
  responsesQuery,
  responsesSchema,
  settingsBody,
  settingsSchema,
} from './feedback-schemas.ts';
import { feedbackSettingsOf, putFeedbackSettings } from './feedback-settings.ts';
import { listSurveyResponses } from './survey-results.ts';

const tags = ['feedback'];
const admin = { minRole: 'admin' as const };

/** Survey settings (admins) and survey answers, by ticket, customer or agent. */
export function registerFeedbackRoutes(app: App, deps: Deps) {
  const { db } = deps;
  app.get(
    '/api/v1/feedback/settings',
    { config: admin, schema: { tags, response: { 200: settingsSchema } } },
    async (request) => feedbackSettingsOf(db, actorOf(request).workspaceId),
  );
  app.put(
    '/api/v1/feedback/settings',
    {
      config: admin,
      schema: {
        tags,
        description:
          'Switches CSAT surveys on or off, sets their delay after a solve per channel and the link lifetime.',
        body: settingsBody,
        response: { 200: settingsSchema },
      },
    },
    async (request) => putFeedbackSettings(deps, actorOf(request), request.body),
  );
  app.get(
    '/api/v1/survey-responses',
    {
      schema: {
        tags,
        description:
          'CSAT, NPS and CES answers, newest first, by ticket, customer, agent or kind, with a summary of all that match.',
        querystring: responsesQuery,
        response: { 200: responsesSchema },
      },
    },
    async (request) => {
      const { ticket_id, customer_id, agent_id, kind, limit, cursor } = request.query;
      const page = await listSurveyResponses(db, actorOf(request), {
        ticketId: ticket_id,
        customerId: customer_id,
        agentId: agent_id,
        kind,
        limit,
        cursor: cursor ? decodeCursor(cursor) : undefined,
      });
      return {
        data: page.data.map(presentResponse),
        summary: page.summary,
        nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
      };
    },
  );
}
