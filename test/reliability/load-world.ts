import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { emailAddresses } from '../../src/db/schema/index.ts';
import { type Database, openDatabase } from '../../src/platform/db/database.ts';
import { ownPostgresDatabase } from '../support/databases.ts';
import { uniqueAddress } from '../support/email.ts';
import { makeUser, makeWorkspace } from '../support/factories.ts';
import { bearerFor } from '../support/http.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { type Cluster, startCluster } from './cluster.ts';
import { apiClient, chatClient, type Ledger, newLedger, smtpClient } from './load.ts';
import { type Tally, tallyJobs, tallyMailed, tallyStored } from './verify.ts';

async function createPolicy(port: number, headers: Record<string, string>, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/admin/sla-policies`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`SLA policy: ${response.status} ${await response.text()}`);
}

/** The application_name of the test's own connections, so a test cutting the app's can spare them. */
export const VERIFIER = 'rapport-reliability-verifier';

export type LoadWorld = {
  own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  cluster: Cluster;
  sink: SmtpSink;
  client: pg.Client;
  database: Database;
};

/**
 * For a describePostgresOnly block: a database of its own, an SMTP sink and `count` app nodes relaying
 * to it, started before the tests and stopped after them.
 */
export function loadWorld(serverUrl: string, label: string, count: number): () => LoadWorld {
  const world: Partial<LoadWorld> = {};
  beforeAll(async () => {
    world.own = await ownPostgresDatabase(serverUrl, label);
    world.sink = await startSmtpSink();
    const relayUrl = `smtp://${world.sink.host}:${world.sink.port}`;
    world.cluster = await startCluster({ count, databaseUrl: world.own.url, relayUrl });
    const url = Object.assign(new URL(world.own.url), { search: `?application_name=${VERIFIER}` });
    world.database = await openDatabase({ url: url.toString(), poolSize: 2 });
    world.client = new pg.Client({ connectionString: world.own.url, application_name: VERIFIER });
    await world.client.connect();
  }, 120_000);
  afterAll(async () => {
    await world.cluster?.stop();
    await world.client?.end().catch(() => {});
    await world.database?.close();
    await world.sink?.close();
    await world.own?.drop();
  }, 30_000);
  return () => world as LoadWorld;
}

/**
 * Starts the clients on a new workspace with an agent and a support address: two API clients, one
 * SMTP client and `chats` widget visitors. `finish()` stops them, then counts what is stored and mailed.
 */
export async function startLoad(
  world: LoadWorld,
  options: { chats: number; mailWaitMs: number; slaWarnings?: boolean },
) {
  const { database, cluster } = world;
  const { workspace, admin } = await makeWorkspace(database.db);
  const agent = await makeUser(database.db, workspace.id, 'agent');
  const headers = await bearerFor(database, agent.actor);
  // Every ticket gets a first-reply clock whose warning job is due a minute later: a job queued by the
  // relay on whichever node is alive, which must run even when a node dies holding it.
  if (options.slaWarnings) {
    await createPolicy(cluster.live()[0]!.httpPort, await bearerFor(database, admin.actor), {
      name: 'load: warn after a minute',
      firstReplyMinutes: 2,
      warnMinutes: 1,
    });
  }
  const address = uniqueAddress('load');
  await database.db.insert(emailAddresses).values({ workspaceId: workspace.id, address, isDefault: true });
  const ledger: Ledger = newLedger();
  let stopping = false;
  const target = { live: () => cluster.live(), stopping: () => stopping };
  const clients = [
    apiClient(target, ledger, headers, 'api-1'),
    apiClient(target, ledger, headers, 'api-2'),
    smtpClient(target, ledger, address, 'smtp-1'),
    ...Array.from({ length: options.chats }, (_, i) =>
      chatClient(target, ledger, workspace.slug, `chat-${i}`),
    ),
  ];
  return {
    ledger,
    async finish(): Promise<Tally> {
      stopping = true;
      await Promise.all(clients).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${cluster.output()}`);
      });
      const tally = await tallyStored(world.client, ledger);
      await tallyMailed(world.client, world.sink, ledger, tally, options.mailWaitMs);
      // The last ticket's warning is due a minute after the load ends.
      if (options.slaWarnings) await tallyJobs(world.client, workspace.id, tally, 90_000);
      return tally;
    },
  };
}
