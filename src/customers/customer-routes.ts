import { z } from 'zod';
import type { Deps } from '../platform/deps.ts';
import { actorOf } from '../platform/http/authentication.ts';
import { decodeCursor, encodeCursor } from '../platform/http/cursor.ts';
import { idParams } from '../platform/http/schemas.ts';
import type { App } from '../platform/http/server.ts';
import {
  createCustomerBody,
  customerSchema,
  identitySchema,
  presentCustomer,
  updateCustomerBody,
} from './customer-schemas.ts';
import {
  addIdentity,
  createCustomer,
  getCustomer,
  mergeCustomers,
  removeIdentity,
  searchCustomers,
  updateCustomer,
} from './customer-service.ts';
import type { Identity } from './identities.ts';

const tags = ['customers'];

export function registerCustomerRoutes(app: App, { db }: Deps) {
  app.get(
    '/api/v1/customers',
    {
      schema: {
        tags,
        querystring: z.strictObject({
          q: z.string().max(200).optional(),
          email: z.string().max(320).optional(),
          phone: z.string().max(64).optional(),
          external_id: z.string().max(255).optional(),
          company: z.uuid().optional(),
          tag: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: z.object({ data: z.array(customerSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { q, email, phone, external_id, company, tag, limit, cursor } = request.query;
      const page = await searchCustomers(db, actorOf(request), {
        q,
        email,
        phone,
        externalId: external_id,
        companyId: company,
        tag,
        limit,
        cursor: cursor ? decodeCursor(cursor) : undefined,
      });
      return {
        data: page.data.map(presentCustomer),
        nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
      };
    },
  );

  app.post(
    '/api/v1/customers',
    { schema: { tags, body: createCustomerBody, response: { 201: customerSchema } } },
    async (request, reply) => {
      const { email, phone, externalId, identities = [], ...rest } = request.body;
      const all: Identity[] = [...identities];
      if (email) all.push({ kind: 'email', value: email });
      if (phone) all.push({ kind: 'phone', value: phone });
      if (externalId) all.push({ kind: 'external_id', value: externalId });
      const customer = await createCustomer(db, actorOf(request), { ...rest, identities: all });
      return reply.status(201).send(presentCustomer(customer));
    },
  );

  app.get(
    '/api/v1/customers/:id',
    { schema: { tags, params: idParams, response: { 200: customerSchema } } },
    async (request) => presentCustomer(await getCustomer(db, actorOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/customers/:id',
    { schema: { tags, params: idParams, body: updateCustomerBody, response: { 200: customerSchema } } },
    async (request) =>
      presentCustomer(await updateCustomer(db, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/customers/:id/identities',
    { schema: { tags, params: idParams, body: identitySchema, response: { 201: customerSchema } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentCustomer(await addIdentity(db, actorOf(request), request.params.id, request.body))),
  );

  app.delete(
    '/api/v1/customers/:id/identities',
    { schema: { tags, params: idParams, body: identitySchema, response: { 200: customerSchema } } },
    async (request) =>
      presentCustomer(await removeIdentity(db, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/customers/:id/merge',
    {
      schema: {
        tags,
        description: 'Merges this customer into another: identities and tickets move there.',
        params: idParams,
        body: z.strictObject({ into: z.uuid() }),
        response: { 200: customerSchema },
      },
    },
    async (request) =>
      presentCustomer(
        await mergeCustomers(db, actorOf(request), {
          sourceId: request.params.id,
          targetId: request.body.into,
        }),
      ),
  );
}
