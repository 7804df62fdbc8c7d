import { randomUUID } from 'node:crypto';
import type { Actor, Role } from '../../src/platform/auth/actor.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { type CreateTicketInput, createTicket } from '../../src/tickets/ticket-service.ts';
import { createUser } from '../../src/users/user-service.ts';
import { createWorkspace } from '../../src/workspaces/workspace-service.ts';

export const TEST_PASSWORD = 'correct horse battery';

const unique = () => randomUUID().slice(0, 8);

/** A fresh workspace with an admin, so tests never share rows or depend on order. */
export async function makeWorkspace(db: Db) {
  const workspace = await createWorkspace(db, { name: `Test ${unique()}` });
  const admin = await makeUser(db, workspace.id, 'admin');
  return { workspace, admin };
}

export async function makeUser(db: Db, workspaceId: string, role: Role = 'agent') {
  const email = `${role}-${unique()}@example.test`;
  const member = await createUser(db, {
    workspaceId,
    email,
    name: `${role} ${unique()}`,
    password: TEST_PASSWORD,
    role,
  });
  const actor: Actor = { userId: member.id, workspaceId, role };
  return { ...member, actor, password: TEST_PASSWORD };
}

export async function makeTicket(db: Db, actor: Actor, overrides: Partial<CreateTicketInput> = {}) {
  return createTicket(db, actor, {
    subject: `Order arrived damaged ${unique()}`,
    customer: { email: `customer-${unique()}@example.test`, name: 'Casey Customer' },
    message: { body: 'My order arrived with a cracked lid. Can you send a new one?' },
    channel: 'email',
    ...overrides,
  });
}

/** The JSON body of POST /api/v1/tickets for a customer's email. */
export const ticketRequest = (email: string, extra: Record<string, unknown> = {}) => ({
  subject: 'Where is my parcel?',
  customer: { email, name: 'Pat Parcel' },
  message: { body: 'It was due on Monday.' },
  channel: 'email',
  tags: ['shipping'],
  ...extra,
});
