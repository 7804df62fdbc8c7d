import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { eventually } from '../../test/support/eventually.ts';
import { signedInTeam, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import type { App } from '../platform/http/server.ts';
import { createPgBossQueue } from '../platform/queue/pg-boss-queue.ts';
import type { Queue } from '../platform/queue/queue.ts';

declare module '../platform/queue/queue.ts' {
  interface JobTypes {
    'test.flaky': { workspaceId: string };
  }
}

describeEachDatabase('admin jobs API', (kind: DatabaseKind) => {
  let app: App;
  let queue: Queue;
  let healthy = false;

  beforeAll(async () => {
    const database = await sharedDatabase(kind);
    const deps = testDeps(database);
    queue = createPgBossQueue({
      database,
      url: process.env.TEST_DATABASE_URL,
      worker: true,
      logger: deps.logger,
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
    });
    await queue.start();
    await queue.work('test.flaky', async () => {
      if (!healthy) throw new Error('mailbox unreachable');
    });
    app = await buildApp({ ...deps, queue });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await queue.stop();
  });

  it('shows a job that failed after its retries with the reason, and runs it again on request', async () => {
    const { workspace, admin, agent } = await signedInTeam(await sharedDatabase(kind));
    const other = await signedInTeam(await sharedDatabase(kind));
    const id = await queue.send('test.flaky', { workspaceId: workspace.id }, { retryLimit: 1 });
    const failedJobs = async () => {
      const response = await app.inject({ url: '/api/v1/admin/jobs?state=failed', headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().data;
    };
    await eventually(async () => (await failedJobs()).length === 1, 'the job to fail twice');

    expect(await failedJobs()).toEqual([
      expect.objectContaining({
        id,
        name: 'test.flaky',
        state: 'failed',
        retries: 1,
        error: 'mailbox unreachable',
      }),
    ]);
    const asAgent = await app.inject({ url: '/api/v1/admin/jobs', headers: agent.headers });
    expect(asAgent.statusCode).toBe(403);
    const elsewhere = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/jobs/${id}/retry`,
      headers: other.admin.headers,
    });
    expect(elsewhere.statusCode).toBe(404);

    healthy = true;
    const retry = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/jobs/${id}/retry`,
      headers: admin.headers,
    });
    expect(retry.statusCode).toBe(204);
    await eventually(
      async () =>
        (await app.inject({ url: '/api/v1/admin/jobs', headers: admin.headers })).json().data.length === 0,
      'the retried job to complete',
    );
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/jobs/${id}/retry`,
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(404);
  });
});
