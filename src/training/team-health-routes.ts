import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { teamHealthReport } from './team-health-service.ts';

const agentSchema = z.object({
  agentId: z.string(),
  name: z.string(),
  openTickets: z.number(),
  replies: z.number(),
  repliesPerDay: z.number(),
  afterHoursReplies: z.number(),
  afterHoursShare: z.number(),
  ticketsHandled: z.number(),
  difficultHandled: z.number(),
  difficultShare: z.number(),
  trend: z.number().nullable(),
  weekly: z.array(z.object({ week: z.string(), replies: z.number() })),
  overloaded: z.boolean(),
  reasons: z.array(z.string()),
});

/** GET /api/v1/team-health: a lead's view of workload, after-hours work and difficult conversations. */
export function registerTeamHealthRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/api/v1/team-health',
    {
      config: { minRole: 'admin' as const },
      schema: {
        tags: ['training'],
        description:
          'Per agent over [from, to) (default the last 28 days): open tickets, replies per day, replies outside ' +
          "the workspace's business hours, the share of handled conversations with a negative customer message, " +
          'replies per week and the change against the window before; `overloaded` with the reasons.',
        querystring: z.strictObject({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            timeZone: z.string(),
            team: z.object({
              medianOpenTickets: z.number(),
              replies: z.number(),
              afterHoursShare: z.number(),
            }),
            agents: z.array(agentSchema),
          }),
        },
      },
    },
    async (request) => {
      const to = request.query.to ? new Date(request.query.to) : clock.now();
      const from = request.query.from
        ? new Date(request.query.from)
        : new Date(to.getTime() - 28 * 86_400_000);
      return teamHealthReport(db, actorOf(request), { from, to });
    },
  );
}
