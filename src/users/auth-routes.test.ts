import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { testApp } from '../../test/support/http.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

const cookieOf = (response: { headers: Record<string, unknown> }) => {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : String(header);
  return value.split(';')[0]!;
};

describeEachDatabase('auth routes', (kind) => {
  let database: Database;
  let app: App;
  const clock = fixedClock(new Date());
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, {
      clock,
      env: { RAPPORT_LOGIN_RATE_LIMIT: '1000', RAPPORT_SESSION_TTL_HOURS: '1' },
    });
  });
  afterAll(() => app.close());

  it('logs in with an HttpOnly session cookie, answers /me, and logs out', async () => {
    const { admin, workspace } = await makeWorkspace(database.db);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: admin.email.toUpperCase(), password: admin.password },
    });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(login.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
    const cookie = cookieOf(login);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(anonymous.json()).toEqual({ me: null });
    const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.json().me.user.email).toBe(admin.email);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json()).toMatchObject({
      user: { email: admin.email, role: 'admin' },
      workspace: { id: workspace.id },
    });
    expect(JSON.stringify(me.json())).not.toContain('password');
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  it('says the same thing for an unknown email and a wrong password', async () => {
    const { admin } = await makeWorkspace(database.db);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: admin.email, password: 'nope-nope-nope' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.test', password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('expires sessions', async () => {
    const { admin } = await makeWorkspace(database.db);
    const cookie = cookieOf(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: admin.email, password: admin.password },
      }),
    );
    clock.advance(2 * 3_600_000);
    const expired = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().type).toBe('urn:rapport:problem:unauthenticated');
  });

  /** A new agent of a fresh workspace, signed in through the login route. */
  async function signedInAgent() {
    const { workspace } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.email, password: agent.password },
    });
    return { agent, cookie: cookieOf(login) };
  }

  it('refuses cross-site writes made with the session cookie, never those with a bearer token', async () => {
    const { cookie } = await signedInAgent();
    const create = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, ...headers },
        payload: { name: 'x' },
      });
    const crossSite = await create({ origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().detail).toMatch(/Cross-site/);
    expect((await create({ origin: 'null' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await create({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    // Same origin as the Host header, or no browser headers at all (curl, scripts): allowed.
    expect(
      (await create({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode,
    ).toBe(201);
    expect((await create({})).statusCode).toBe(201);
    // Reads carry no risk; a forged GET cannot change anything.
    const read = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
    const token = (await create({})).json().token as string;
    const bearer = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      payload: { name: 'y' },
    });
    expect(bearer.statusCode).toBe(201);
  });

  it('locks an email out after ten failed sign-ins in a row, known account or not, until the lock ends', async () => {
    const { agent } = await signedInAgent();
    const login = (email: string, password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const stranger = `nobody-${Date.now()}@example.test`;
    for (let i = 0; i < 10; i++) {
      expect((await login(agent.email, 'wrong password')).statusCode).toBe(401);
      expect((await login(stranger, 'wrong password')).statusCode).toBe(401);
    }
    const lockedOut = await login(agent.email, agent.password);
    expect(lockedOut.statusCode).toBe(429);
    const strangerLocked = await login(stranger, 'anything');
    // The same answer for an account that does not exist: a lockout tells nothing.
    expect(strangerLocked.statusCode).toBe(429);
    expect(strangerLocked.json().detail).toBe(lockedOut.json().detail);

    clock.advance(16 * 60_000);
    expect((await login(agent.email, agent.password)).statusCode).toBe(200);
    // Success clears the count: nine more failures do not lock again.
    for (let i = 0; i < 9; i++) expect((await login(agent.email, 'wrong password')).statusCode).toBe(401);
    expect((await login(agent.email, agent.password)).statusCode).toBe(200);
  });

  it('issues API tokens that work as bearer tokens until revoked', async () => {
    const { cookie } = await signedInAgent();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie },
      payload: { name: 'zapier' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer })).statusCode,
    ).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });

  it('changes a password only with the current one', async () => {
    const { agent, cookie } = await signedInAgent();
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { current: 'wrong', next: 'a much longer password' },
    });
    expect(bad.statusCode).toBe(400);
    const good = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie },
      payload: { current: agent.password, next: 'a much longer password' },
    });
    expect(good.statusCode).toBe(204);
    const relogin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.email, password: 'a much longer password' },
    });
    expect(relogin.statusCode).toBe(200);
  });

  it('rate-limits login attempts with a problem body', async () => {
    const limited = await testApp(database, { env: { RAPPORT_LOGIN_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await limited.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'x@example.test', password: 'guess' },
        });
        codes.push(response.statusCode);
        if (response.statusCode === 429)
          expect(response.json().type).toBe('urn:rapport:problem:rate_limited');
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
