import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { BlockedTargetError, guardedLookup, TimeoutError } from '../platform/net/outbound-request.ts';
import { isPrivateAddress } from '../platform/net/private-addresses.ts';

export type HttpResult = { status: number; body: Buffer; contentType: string };

export type HttpOptions = {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Responses larger than this fail instead of filling memory (media downloads). */
  maxBytes?: number;
};

/**
 * One request to a platform's API, answered with its body: private and loopback targets refused unless
 * allowed, no redirects followed, one deadline for the whole exchange.
 */
export function platformRequest(target: string, options: HttpOptions): Promise<HttpResult> {
  const url = new URL(target);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal))
    return Promise.reject(new BlockedTargetError(`${literal} is a private address`));
  const client = url.protocol === 'https:' ? https : http;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: {
          ...options.headers,
          ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }),
        },
        lookup: guardedLookup(options.allowPrivate),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) request.destroy(new Error(`The response is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            contentType: String(response.headers['content-type'] ?? ''),
          }),
        );
        response.on('error', reject);
      },
    );
    const timer = setTimeout(
      () => request.destroy(new TimeoutError(`Timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A platform's JSON answer, or an error naming its status. */
export async function platformJson<T>(target: string, options: HttpOptions): Promise<T> {
  const result = await platformRequest(target, options);
  if (result.status < 200 || result.status >= 300)
    throw new Error(`HTTP ${result.status}: ${result.body.toString('utf8').slice(0, 300)}`);
  return JSON.parse(result.body.toString('utf8')) as T;
}

/** A file a platform's upload takes as one part of a multipart/form-data body. */
export type UploadPart = { field: string; name: string; contentType: string; bytes: Buffer };

/**
 * A multipart/form-data body of text fields and one file, as platforms' upload endpoints take it
 * (WhatsApp's /media, Telegram's sendDocument). Resolves to the body and its content type.
 */
export function multipartBody(fields: Record<string, string>, file: UploadPart) {
  const boundary = `rapport-${randomBytes(12).toString('hex')}`;
  const quoted = (value: string) => value.replace(/["\r\n]/g, '_');
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
    ),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.name)}"\r\n` +
        `Content-Type: ${quoted(file.contentType)}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
