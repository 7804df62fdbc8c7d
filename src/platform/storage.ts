import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { notFound } from './errors.ts';

/** Where uploaded files live, by opaque key; a disk now, an object store later behind the same calls. */
export interface Storage {
  /** Stores the bytes under the key; on failure nothing is left under it. */
  put(key: string, body: Readable | Buffer): Promise<void>;
  /** Streams the bytes back; throws not_found when the key holds nothing. */
  get(key: string): Promise<Readable>;
  /** Removes the key; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** A fresh random key; never derived from anything the uploader chose. */
export const newStorageKey = () => randomBytes(18).toString('base64url');

const KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** Keys are ours, but a path or object name is only ever built from one that cannot climb anywhere. */
export function checkedStorageKey(key: string): string {
  if (!KEY.test(key)) throw new Error('Invalid storage key');
  return key;
}

/** Keeps files under `root`, spread over 256-ish folders by the key's first two characters. */
export function createDiskStorage(root: string): Storage {
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), checkedStorageKey(key));

  return {
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write aside and rename, so a reader never sees half a file and a failed upload leaves none.
      const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial));
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async get(key) {
      const file = fileOf(key);
      try {
        await stat(file);
      } catch {
        throw notFound('File');
      }
      return createReadStream(file);
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}
