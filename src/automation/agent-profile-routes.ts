import { z } from 'zod';
import { agentStatuses } from '../db/schema/index.ts';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  type AgentProfile,
  listAgentProfiles,
  setOwnStatus,
  updateAgentProfile,
} from './agent-profile-service.ts';

const tags = ['agents'];
const status = z.enum(agentStatuses);
const profileSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.string(),
  status,
  capacity: z.number().int().nullable(),
  skills: z.array(z.string()),
  openTickets: z.number().int(),
  lastAssignedAt: z.string().nullable(),
});
const present = (profile: AgentProfile) => ({
  ...profile,
  lastAssignedAt: profile.lastAssignedAt?.toISOString() ?? null,
});
const profilePatch = z
  .strictObject({
    status: status.optional(),
    capacity: z.number().int().min(0).max(10_000).nullable().optional(),
    skills: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Say what to change');

/**
 * Routing's view of the agents: everyone reads it, each agent sets their own availability, admins set
 * capacity and skills.
 */
export function registerAgentProfileRoutes(app: App, deps: Deps) {
  const { db } = deps;
  app.get(
    '/api/v1/agent-profiles',
    { schema: { tags, response: { 200: z.object({ data: z.array(profileSchema) }) } } },
    async (request) => ({ data: (await listAgentProfiles(db, actorOf(request))).map(present) }),
  );
  app.put(
    '/api/v1/agent-profiles/me/status',
    {
      config: { minRole: 'light' as const },
      schema: {
        tags,
        description: 'Online agents get new tickets from routing; away and offline agents keep theirs.',
        body: z.strictObject({ status }),
        response: { 200: profileSchema },
      },
    },
    async (request) => present(await setOwnStatus(db, actorOf(request), request.body.status)),
  );
  app.patch(
    '/api/v1/agent-profiles/:id',
    {
      config: { minRole: 'admin' as const },
      schema: { tags, params: idParams, body: profilePatch, response: { 200: profileSchema } },
    },
    async (request) =>
      present(await updateAgentProfile(db, actorOf(request), request.params.id, request.body)),
  );
}
