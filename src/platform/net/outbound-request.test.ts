import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedTargetError, postOutbound } from './outbound-request.ts';
import { isPrivateAddress } from './private-addresses.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('postOutbound', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push(body);
        response.statusCode = request.url === '/slow' ? 200 : 204;
        if (request.url === '/slow') setTimeout(() => response.end('late'), 2_000);
        else response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (url: string, allowPrivate: boolean, timeoutMs = 5_000) =>
    postOutbound(url, { headers: { 'content-type': 'text/plain' }, body: 'hello', timeoutMs, allowPrivate });

  it('refuses a literal loopback address before connecting', async () => {
    const before = received.length;
    await expect(send(`http://127.0.0.1:${port}/`, false)).rejects.toBeInstanceOf(BlockedTargetError);
    expect(received.length).toBe(before);
  });

  it('refuses a name that resolves to loopback when it connects', async () => {
    const before = received.length;
    await expect(send(`http://localhost:${port}/`, false)).rejects.toThrow(/private addresses/);
    expect(received.length).toBe(before);
  });

  it('delivers to loopback when private targets are allowed', async () => {
    await expect(send(`http://localhost:${port}/`, true)).resolves.toEqual({ status: 204 });
    expect(received.at(-1)).toBe('hello');
  });

  it('gives up after the deadline', async () => {
    await expect(send(`http://127.0.0.1:${port}/slow`, true, 200)).rejects.toThrow(/Timed out after 200 ms/);
  });
});
