import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, startS3Server } from '../../test/support/s3-server.ts';
import { loadConfig } from './config.ts';
import { newStorageKey } from './storage.ts';
import { storageFromConfig } from './storage-config.ts';
import { parseS3Url } from './storage-s3.ts';

describe('S3 storage', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(() => s3?.stop());

  const store = (prefix = 'attachments') =>
    storageFromConfig(
      loadConfig({ RAPPORT_STORAGE_URL: s3.storageUrl(prefix), RAPPORT_DATA_DIR: '/nonexistent' }),
    );

  it('puts, gets and deletes objects, from buffers and streams', async () => {
    const storage = store();
    const [a, b] = [newStorageKey(), newStorageKey()];
    await storage.put(a, Buffer.from('hello bytes'));
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'z');
    await storage.put(b, Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    expect((await buffer(await storage.get(a))).toString()).toBe('hello bytes');
    expect((await buffer(await storage.get(b))).equals(big)).toBe(true);
    await storage.delete(a);
    await expect(storage.get(a)).rejects.toMatchObject({ code: 'not_found' });
    expect((await buffer(await storage.get(b))).length).toBe(big.length);
  });

  it('answers not_found for a key never stored, and deleting it is no error', async () => {
    const storage = store();
    const key = newStorageKey();
    await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
    await storage.delete(key);
  });

  it('keeps objects under the URL folder, apart from another folder of the bucket', async () => {
    const key = newStorageKey();
    await store('one').put(key, Buffer.from('x'));
    await expect(store('two').get(key)).rejects.toMatchObject({ code: 'not_found' });
    expect((await buffer(await store('one').get(key))).toString()).toBe('x');
    // The bucket really is on the server's disk (s3rver keeps objects as files under the bucket).
    expect(await readdir(`${s3.directory}/${s3.bucket}`, { recursive: true })).toEqual(
      expect.arrayContaining([expect.stringContaining(key)]),
    );
  });

  it('refuses keys that could name another object', async () => {
    await expect(store().get('../../other-bucket/secret-key-123')).rejects.toThrow('Invalid storage key');
  });
});

describe('RAPPORT_STORAGE_URL', () => {
  it('reads the S3 form', () => {
    expect(parseS3Url('s3://AK%2Fx:s%40cret@s3.example.com/files/rapport/prod?region=eu-west-1')).toEqual({
      endpoint: 'https://s3.example.com',
      region: 'eu-west-1',
      bucket: 'files',
      prefix: 'rapport/prod/',
      accessKeyId: 'AK/x',
      secretAccessKey: 's@cret',
    });
    expect(parseS3Url('s3+http://a:b@127.0.0.1:9000/bucket')).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      prefix: '',
    });
  });

  it('refuses what it cannot use', () => {
    expect(() => parseS3Url('s3://a:b@host/')).toThrow('names no bucket');
    expect(() => parseS3Url('s3://host/bucket')).toThrow('ACCESS:SECRET');
    expect(() => loadConfig({ RAPPORT_STORAGE_URL: 'ftp://host/x' })).toThrow('RAPPORT_STORAGE_URL');
  });
});
