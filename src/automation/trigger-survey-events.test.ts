import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { surveyInvitations } from '../db/schema/index.ts';
import { recordAnswer } from '../feedback/survey-service.ts';
import type { Database } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';
import { createTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

describeEachDatabase('triggers on survey answers', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  it('runs when a CSAT answer arrives, with conditions on its score and kind', async () => {
    const w = await triggerWorld(database);
    await createTrigger(database.db, w.admin.actor, {
      name: 'Unhappy rating: follow up',
      events: ['survey.answered'],
      conditions: {
        all: [
          { field: 'survey_kind', op: 'is', value: 'csat' },
          { field: 'survey_score', op: 'less_than', value: '3' },
        ],
      },
      actions: [
        { type: 'add_tags', tags: ['unhappy'] },
        { type: 'note', body: 'Low CSAT: call the customer.' },
      ],
    });
    const answer = async (score: number) => {
      const ticket = await makeTicket(database.db, w.admin.actor);
      await addMessage(database.db, w.admin.actor, ticket.id, {
        kind: 'public_reply',
        body: 'Done',
        status: 'solved',
      });
      const [invitation] = await database.db
        .insert(surveyInvitations)
        .values({
          workspaceId: w.workspace.id,
          kind: 'csat',
          ticketId: ticket.id,
          customerId: ticket.customerId,
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning();
      await database.db.transaction((tx) => recordAnswer(tx, invitation!, score, 'email', new Date()));
      await w.relay.drain();
      return w.ticketNow(ticket.id);
    };
    const low = await answer(2);
    expect(low.tags).toContain('unhappy');
    expect(await w.audit(low.id)).toEqual([['Unhappy rating: follow up']]);
    const high = await answer(5);
    expect(high.tags).not.toContain('unhappy');
  });
});
