import { z } from 'zod';
import { roles } from '../platform/auth/actor.ts';
import type { Member } from './user-service.ts';

export const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  disabled: z.boolean(),
  createdAt: z.string(),
});

export const presentMember = (member: Member) => ({ ...member, createdAt: member.createdAt.toISOString() });
