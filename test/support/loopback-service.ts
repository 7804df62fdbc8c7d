import { connect } from 'node:net';
import { describe, it } from 'vitest';

export type LoopbackService = {
  /** Shown in messages, e.g. "Redis". */
  label: string;
  url: string;
  /** The variable that turns a missing server into a failure (set in CI). */
  requireVariable: string;
  /** How to get one, for the messages. */
  hint: string;
};

/** True when something accepts TCP connections at the URL's host and port. */
export function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A suite that needs a real server on loopback (Redis, NATS): skipped with one printed line when it
 * does not answer, failing instead in CI or when its REQUIRE_ variable is 1, so it never skips silently.
 */
export async function describeWithService(service: LoopbackService, name: string, suite: () => void) {
  if (await reachable(service.url)) return describe(name, suite);
  const why = `${service.label} does not answer at ${service.url} (${service.hint})`;
  if (process.env.CI || process.env[service.requireVariable] === '1') {
    return describe(name, () => {
      it(`reaches ${service.label}`, () => {
        throw new Error(`${why} but ${service.requireVariable}=1 is set`);
      });
    });
  }
  console.log(`[rapport tests] ${why}: skipping "${name}".`);
  return describe.skip(name, () => it(`needs ${service.label}`, () => {}));
}

export const redisService: LoopbackService = {
  label: 'Redis',
  url: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  requireVariable: 'REQUIRE_REDIS',
  hint: 'apt-get install -y redis-server, or set REDIS_URL',
};

export const natsService: LoopbackService = {
  label: 'NATS',
  url: process.env.NATS_URL || 'nats://127.0.0.1:4222',
  requireVariable: 'REQUIRE_NATS',
  hint: 'install nats-server and start it on 127.0.0.1:4222, or set NATS_URL',
};
