// Role-play sessions: start on a scenario, reply, finish with a scorecard. Sessions live in their own
// table and never create tickets, messages or customers.
import { randomInt } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { trainingAssignments, trainingSessions } from '../db/schema/index.ts';
import { getCoachRules } from '../intel/coach-service.ts';
import { searchArticles } from '../kb/kb-search.ts';
import { agentReader, getArticle } from '../kb/kb-service.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden, invalidState, notFound } from '../platform/errors.ts';
import { recordEvent } from '../platform/outbox/outbox.ts';
import { type CustomerVoice, scriptedVoice } from './customer-voice.ts';
import type { Move, Scenario } from './scenario-schema.ts';
import { getScenario } from './scenario-service.ts';
import { type KbText, type Scorecard, scoreSession, type TranscriptEntry } from './scorecard.ts';
import { type SimulationState, startSimulation, stepSimulation } from './simulation-engine.ts';

/** `voice` words the customer's answers (a chat model when configured); scripted lines without one. */
export type TrainingDeps = { db: Db; clock: Clock; voice?: CustomerVoice | undefined };
export type SessionRow = typeof trainingSessions.$inferSelect;

const scenarioOf = (row: SessionRow) => row.scenario as Scenario;
const engineOf = (row: SessionRow) => row.engine as SimulationState;
const transcriptOf = (row: SessionRow) => row.transcript as TranscriptEntry[];

/** Starts a session; with an assignment id it must be the actor's own, on the same scenario. */
export async function startSession(
  { db, clock }: TrainingDeps,
  actor: Actor,
  input: { scenarioKey: string; seed?: number | undefined; assignmentId?: string | undefined },
): Promise<SessionRow> {
  const { scenario } = await getScenario(db, actor, input.scenarioKey);
  const seed = input.seed ?? randomInt(0, 2 ** 31 - 1);
  const { state, reply } = startSimulation(scenario);
  const now = clock.now();
  return db.transaction(async (tx) => {
    if (input.assignmentId) {
      const [assignment] = await tx
        .select()
        .from(trainingAssignments)
        .where(
          and(
            eq(trainingAssignments.id, input.assignmentId),
            eq(trainingAssignments.workspaceId, actor.workspaceId),
            eq(trainingAssignments.agentId, actor.userId),
          ),
        );
      if (!assignment) throw notFound('Assignment');
      if (assignment.scenarioKey !== scenario.key)
        throw invalidState('The assignment is for another scenario');
    }
    const [row] = await tx
      .insert(trainingSessions)
      .values({
        workspaceId: actor.workspaceId,
        agentId: actor.userId,
        scenarioKey: scenario.key,
        scenario,
        seed,
        engine: state,
        transcript: [{ role: 'customer', text: reply, at: now.toISOString(), mood: state.mood }],
        assignmentId: input.assignmentId ?? null,
        startedAt: now,
      })
      .returning();
    await recordEvent(tx, {
      workspaceId: actor.workspaceId,
      type: 'training.session.started',
      payload: { sessionId: row!.id, scenarioKey: scenario.key, agentId: actor.userId },
    });
    return row!;
  });
}

/** A session the actor may read: their own, or any in the workspace for an admin. */
export async function getSession(db: Db, actor: Actor, id: string): Promise<SessionRow> {
  const [row] = await db
    .select()
    .from(trainingSessions)
    .where(and(eq(trainingSessions.id, id), eq(trainingSessions.workspaceId, actor.workspaceId)));
  if (!row || (row.agentId !== actor.userId && actor.role !== 'admin')) throw notFound('Session');
  return row;
}

/** The knowledge the scenario's KB references point at in this workspace: the best article per query. */
async function knowledgeFor(db: Db, actor: Actor, scenario: Scenario): Promise<KbText[]> {
  const found: KbText[] = [];
  for (const ref of scenario.kb) {
    const { hits } = await searchArticles(db, {
      workspaceId: actor.workspaceId,
      audience: 'agents',
      query: ref.query,
      source: 'api',
      log: false,
      prefix: false,
      limit: 1,
    });
    const hit = hits[0];
    if (!hit || found.some((k) => k.slug === hit.slug)) continue;
    const article = await getArticle(db, agentReader(actor), hit.id);
    found.push({ title: article.title, slug: article.slug, text: `${article.title}\n${article.bodyText}` });
  }
  return found;
}

async function scorecardFor(
  db: Db,
  actor: Actor,
  row: SessionRow,
  state: SimulationState,
  transcript: TranscriptEntry[],
) {
  const scenario = scenarioOf(row);
  const { rules } = await getCoachRules(db, actor);
  const knowledge = await knowledgeFor(db, actor, scenario);
  return scoreSession({ scenario, transcript, state, rules, knowledge });
}

async function saveFinished(
  tx: Db,
  actor: Actor,
  row: SessionRow,
  values: { engine: SimulationState; transcript: TranscriptEntry[]; scorecard: Scorecard; finishedAt: Date },
) {
  const [saved] = await tx
    .update(trainingSessions)
    .set({
      ...values,
      status: values.scorecard.outcome,
      score: values.scorecard.overall,
    })
    .where(eq(trainingSessions.id, row.id))
    .returning();
  if (row.assignmentId)
    await tx
      .update(trainingAssignments)
      .set({ completedSessionId: row.id })
      .where(
        and(eq(trainingAssignments.id, row.assignmentId), isNull(trainingAssignments.completedSessionId)),
      );
  await recordEvent(tx, {
    workspaceId: actor.workspaceId,
    type: 'training.session.finished',
    payload: {
      sessionId: row.id,
      scenarioKey: row.scenarioKey,
      agentId: row.agentId,
      outcome: values.scorecard.outcome,
      score: values.scorecard.overall,
    },
  });
  return saved!;
}

export type ReplyResult = {
  session: SessionRow;
  customer: string;
  moves: Move[];
  mood: number;
  ended: boolean;
};

/**
 * The agent's reply and the simulated customer's answer; a reply that ends the conversation also scores
 * it. Throws invalid_state once the session has ended, not_found for someone else's session.
 */
export async function sendReply(
  deps: TrainingDeps,
  actor: Actor,
  id: string,
  text: string,
): Promise<ReplyResult> {
  const current = await getSession(deps.db, actor, id);
  if (current.agentId !== actor.userId) throw forbidden('Only the agent practising can reply');
  const { rules } = await getCoachRules(deps.db, actor);
  const scenario = scenarioOf(current);
  const at = deps.clock.now();
  const turn = stepSimulation(scenario, engineOf(current), text, current.seed, rules);
  const asked: TranscriptEntry[] = [
    ...transcriptOf(current),
    { role: 'agent', text, at: at.toISOString(), moves: turn.moves, mood: turn.state.mood },
  ];
  // Worded before the transaction: a model call may take seconds and must not hold the row lock.
  const customer = await (deps.voice ?? scriptedVoice).answer({
    scenario,
    state: turn.state,
    revealedNow: turn.revealed,
    transcript: asked,
    scripted: turn.reply,
  });
  const transcript: TranscriptEntry[] = [
    ...asked,
    { role: 'customer', text: customer, at: at.toISOString(), mood: turn.state.mood },
  ];
  const scorecard = turn.state.outcome
    ? await scorecardFor(deps.db, actor, current, turn.state, transcript)
    : null;
  const session = await deps.db.transaction(async (tx) => {
    // The row lock orders concurrent replies; the second sees the first's transcript and is refused if stale.
    const [locked] = await tx
      .select()
      .from(trainingSessions)
      .where(eq(trainingSessions.id, id))
      .for('update');
    if (locked?.status !== 'active') throw invalidState('This session has ended');
    if (transcriptOf(locked).length !== transcriptOf(current).length)
      throw invalidState('Another reply was sent meanwhile; reload the session');
    if (scorecard)
      return saveFinished(tx, actor, locked, { engine: turn.state, transcript, scorecard, finishedAt: at });
    const [saved] = await tx
      .update(trainingSessions)
      .set({ engine: turn.state, transcript })
      .where(eq(trainingSessions.id, id))
      .returning();
    return saved!;
  });
  return {
    session,
    customer,
    moves: turn.moves,
    mood: turn.state.mood,
    ended: scorecard !== null,
  };
}

/** Ends the session now (a conversation left unresolved fails) and returns it with its scorecard. */
export async function finishSession(deps: TrainingDeps, actor: Actor, id: string): Promise<SessionRow> {
  const current = await getSession(deps.db, actor, id);
  if (current.status !== 'active') return current;
  if (current.agentId !== actor.userId) throw forbidden('Only the agent practising can finish');
  const engine = engineOf(current);
  const state: SimulationState = engine.outcome
    ? engine
    : { ...engine, outcome: 'failed', reason: 'Finished before the customer was helped.' };
  const transcript = transcriptOf(current);
  const scorecard = await scorecardFor(deps.db, actor, current, state, transcript);
  return deps.db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(trainingSessions)
      .where(eq(trainingSessions.id, id))
      .for('update');
    if (locked?.status !== 'active') return locked!;
    return saveFinished(tx, actor, locked, {
      engine: state,
      transcript,
      scorecard,
      finishedAt: deps.clock.now(),
    });
  });
}

/** Whose rows a list shows: an admin's choice (all when none), everyone else only their own. */
export const agentScope = (actor: Actor, requested: string | undefined) =>
  actor.role === 'admin' ? requested : actor.userId;

/** Score history, newest first: an agent sees their own; an admin anyone's (or everyone's). */
export async function listSessions(
  db: Db,
  actor: Actor,
  filter: { agentId?: string | undefined; scenarioKey?: string | undefined; limit?: number | undefined },
): Promise<SessionRow[]> {
  const agentId = agentScope(actor, filter.agentId);
  return db
    .select()
    .from(trainingSessions)
    .where(
      and(
        eq(trainingSessions.workspaceId, actor.workspaceId),
        agentId ? eq(trainingSessions.agentId, agentId) : undefined,
        filter.scenarioKey ? eq(trainingSessions.scenarioKey, filter.scenarioKey) : undefined,
      ),
    )
    .orderBy(desc(trainingSessions.startedAt), desc(trainingSessions.id))
    .limit(filter.limit ?? 50);
}
