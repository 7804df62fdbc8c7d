import { z } from 'zod';
import type { Customer } from './customer-service.ts';
import { identityKinds } from './identities.ts';

export const identitySchema = z.strictObject({
  kind: z.enum(identityKinds),
  value: z.string().trim().min(1).max(320),
});

const editable = {
  name: z.string().trim().max(200).optional(),
  companyId: z.uuid().nullable().optional(),
  language: z.string().trim().max(35).nullable().optional(),
  timeZone: z.string().trim().max(64).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  customAttributes: z.record(z.string().max(100), z.unknown()).optional(),
  notes: z.string().max(20_000).optional(),
  tier: z.string().trim().max(50).nullable().optional(),
  consentMarketing: z.boolean().optional(),
  consentProactive: z.boolean().optional(),
};

export const createCustomerBody = z
  .strictObject({
    ...editable,
    email: z.email().max(320).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d\s().-]{4,32}$/, 'must be a phone number')
      .optional(),
    externalId: z.string().trim().min(1).max(255).optional(),
    identities: z.array(identitySchema).max(20).optional(),
  })
  .refine(
    (body) => body.name || body.email || body.phone || body.externalId || body.identities?.length,
    'needs a name or an identity',
  );

export const updateCustomerBody = z.strictObject(editable);

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  companyId: z.string().nullable(),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  tags: z.array(z.string()),
  customAttributes: z.record(z.string(), z.unknown()),
  notes: z.string(),
  tier: z.string().nullable(),
  consentMarketing: z.boolean(),
  consentProactive: z.boolean(),
  identities: z.array(z.object({ kind: z.enum(identityKinds), value: z.string() })),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentCustomer = (c: Customer) => ({
  id: c.id,
  name: c.name,
  companyId: c.companyId,
  language: c.language,
  timeZone: c.timeZone,
  tags: c.tags,
  customAttributes: c.customAttributes,
  notes: c.notes,
  tier: c.tier,
  consentMarketing: c.consentMarketing,
  consentProactive: c.consentProactive,
  identities: c.identities,
  email: c.identities.find((i) => i.kind === 'email')?.value ?? null,
  phone: c.identities.find((i) => i.kind === 'phone')?.value ?? null,
  mergedIntoId: c.mergedIntoId,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
