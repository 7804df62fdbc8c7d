import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import { createTeam, deleteTeam, getTeam, listTeams, type Team, updateTeam } from './team-service.ts';

const tags = ['teams'];
const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
});
const present = (team: Team) => ({ ...team, createdAt: team.createdAt.toISOString() });
const fields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).optional(),
  memberIds: z.array(z.uuid()).max(500).optional(),
};

export function registerTeamRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/teams',
    { schema: { tags, response: { 200: z.object({ data: z.array(teamSchema) }) } } },
    async (request) => ({
      data: (await listTeams(db, actorOf(request))).map(present),
    }),
  );
  app.post(
    '/api/v1/teams',
    {
      config: { minRole: 'admin' },
      schema: { tags, body: z.strictObject(fields), response: { 201: teamSchema } },
    },
    async (request, reply) =>
      reply.status(201).send(present(await createTeam(db, actorOf(request), request.body))),
  );
  app.get(
    '/api/v1/teams/:id',
    { schema: { tags, params: idParams, response: { 200: teamSchema } } },
    async (request) => present(await getTeam(db, actorOf(request), request.params.id)),
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      config: { minRole: 'admin' },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ ...fields, name: fields.name.optional() }),
        response: { 200: teamSchema },
      },
    },
    async (request) => present(await updateTeam(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/teams/:id',
    { config: { minRole: 'admin' }, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteTeam(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
