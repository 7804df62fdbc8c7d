import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import type { App } from '../platform/http/server.ts';
import { readOnboarding, seedDemo } from './onboarding-service.ts';

const tags = ['onboarding'];

export function registerOnboardingRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/api/v1/onboarding',
    {
      schema: {
        tags,
        description: 'Whether the workspace is empty, and which first steps are done.',
        response: {
          200: z.object({
            empty: z.boolean(),
            checklist: z.array(z.object({ key: z.enum(['channel', 'agents', 'demo']), done: z.boolean() })),
          }),
        },
      },
    },
    async (request) => readOnboarding(db, actorOf(request)),
  );

  app.post(
    '/api/v1/demo/seed',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        description:
          'Fills an empty workspace with a demo helpdesk (agents, teams, customers, 300 tickets). ' +
          'Answers 409 once the workspace has tickets. Takes several seconds.',
        response: {
          201: z.object({
            tickets: z.number(),
            messages: z.number(),
            customers: z.number(),
            teams: z.number(),
            agents: z.array(z.object({ name: z.string(), email: z.string() })),
            password: z.string().describe('The demo agents’ password, to sign in as one of them'),
          }),
        },
      },
    },
    async (request, reply) => {
      const result = await seedDemo(db, actorOf(request), { clock });
      return reply.status(201).send({
        tickets: result.tickets,
        messages: result.messages,
        customers: result.customers,
        teams: result.teams,
        agents: result.agents.map(({ name, email }) => ({ name, email })),
        password: result.password,
      });
    },
  );
}
