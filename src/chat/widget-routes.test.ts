import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/http.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('GET /widget.js', (kind) => {
  let app: App;

  beforeAll(async () => {
    app = await testApp(await sharedDatabase(kind));
  });
  afterAll(() => app?.close());

  it('serves the built widget to anyone, small, cacheable and revalidated by ETag', async () => {
    const response = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.body).toContain('/api/v1/chat/ws');
    const gzipped = gzipSync(response.rawPayload).length;
    expect(gzipped).toBeLessThan(40 * 1024);
    console.log(`[rapport tests] widget.js: ${response.rawPayload.length} bytes, ${gzipped} gzipped`);

    const again = await app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });
});
