import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { isPrivateAddress } from './private-addresses.ts';

export class BlockedTargetError extends Error {
  override name = 'BlockedTargetError';
}

/**
 * A DNS lookup that refuses private targets. It runs when the socket connects, so the address checked
 * is the address used: a name that resolves to a public address at save time and to 127.0.0.1 later
 * (DNS rebinding) is still refused.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0)
        return callback(new BlockedTargetError(`${hostname} resolves only to private addresses`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      const first = usable[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export type OutboundResponse = { status: number };

/**
 * POSTs a body to a URL chosen by a user (webhooks, imports), refusing private and loopback targets
 * unless `allowPrivate`, following no redirects, and giving up after `timeoutMs`. The response body is
 * discarded.
 */
export function postOutbound(
  target: string,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean },
): Promise<OutboundResponse> {
  const url = new URL(target);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal))
    return Promise.reject(new BlockedTargetError(`${literal} is a private address`));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) },
        lookup: guardedLookup(options.allowPrivate),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', reject);
      },
    );
    // A whole-request deadline: a receiver trickling bytes must not hold a delivery slot forever.
    const timer = setTimeout(
      () => request.destroy(new TimeoutError(`Timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(options.body);
  });
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}
