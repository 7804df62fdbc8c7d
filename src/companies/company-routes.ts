import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  type Company,
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  updateCompany,
} from './company-service.ts';

const tags = ['companies'];
const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  notes: z.string(),
  customAttributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const present = ({ workspaceId: _, ...c }: Company) => ({
  ...c,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
const fields = {
  name: z.string().trim().min(1).max(200),
  domain: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain like example.com')
    .nullable()
    .optional(),
  notes: z.string().max(20_000).optional(),
  customAttributes: z.record(z.string().max(100), z.unknown()).optional(),
};

export function registerCompanyRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/companies',
    {
      schema: {
        tags,
        querystring: z.strictObject({ q: z.string().max(200).optional() }),
        response: { 200: z.object({ data: z.array(companySchema) }) },
      },
    },
    async (request) => ({ data: (await listCompanies(db, actorOf(request), request.query.q)).map(present) }),
  );
  app.post(
    '/api/v1/companies',
    { schema: { tags, body: z.strictObject(fields), response: { 201: companySchema } } },
    async (request, reply) =>
      reply.status(201).send(present(await createCompany(db, actorOf(request), request.body))),
  );
  app.get(
    '/api/v1/companies/:id',
    { schema: { tags, params: idParams, response: { 200: companySchema } } },
    async (request) => present(await getCompany(db, actorOf(request), request.params.id)),
  );
  app.patch(
    '/api/v1/companies/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ ...fields, name: fields.name.optional() }),
        response: { 200: companySchema },
      },
    },
    async (request) => present(await updateCompany(db, actorOf(request), request.params.id, request.body)),
  );
  app.delete(
    '/api/v1/companies/:id',
    { config: { minRole: 'admin' }, schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteCompany(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
