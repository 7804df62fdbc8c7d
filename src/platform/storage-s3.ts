import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { notFound } from './errors.ts';
import { checkedStorageKey, type Storage } from './storage.ts';

export type S3Location = {
  endpoint: string;
  region: string;
  bucket: string;
  /** Folder inside the bucket, '' or ending in '/'. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
};

/**
 * Reads RAPPORT_STORAGE_URL's S3 form: `s3://ACCESS:SECRET@host[:port]/bucket[/prefix][?region=…]`
 * over HTTPS, or `s3+http://…` for a plain-HTTP store on a private network (MinIO, an emulator).
 * Access key and secret are URL-encoded when they hold reserved characters.
 */
export function parseS3Url(value: string): S3Location {
  const url = new URL(value);
  const tls = url.protocol === 's3:';
  if (!tls && url.protocol !== 's3+http:')
    throw new Error('an S3 storage URL starts with s3:// or s3+http://');
  const [bucket, ...folders] = url.pathname.split('/').filter(Boolean);
  if (!bucket) throw new Error('the S3 storage URL names no bucket (s3://ACCESS:SECRET@host/bucket)');
  if (!url.username || !url.password) throw new Error('the S3 storage URL lacks ACCESS:SECRET@');
  return {
    endpoint: `${tls ? 'https' : 'http'}://${url.host}`,
    region: url.searchParams.get('region') ?? 'us-east-1',
    bucket,
    prefix: folders.length ? `${folders.join('/')}/` : '',
    accessKeyId: decodeURIComponent(url.username),
    secretAccessKey: decodeURIComponent(url.password),
  };
}

/** Any S3-compatible object store (AWS, MinIO, Ceph, R2 …), addressed path-style: host/bucket/key. */
export function createS3Storage(location: S3Location): Storage {
  const client = new S3Client({
    endpoint: location.endpoint,
    region: location.region,
    forcePathStyle: true,
    credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey },
  });
  const target = (key: string) => ({
    Bucket: location.bucket,
    Key: location.prefix + checkedStorageKey(key),
  });

  return {
    async put(key, body) {
      // A single PutObject needs the length up front; uploads are capped well below S3's 5 GB limit,
      // so the file is gathered first. The object appears whole or not at all, as on disk.
      const bytes = Buffer.isBuffer(body) ? body : await buffer(body);
      await client.send(new PutObjectCommand({ ...target(key), Body: bytes, ContentLength: bytes.length }));
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand(target(key)));
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
          throw notFound('File');
        throw error;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that holds nothing, as the interface wants.
      await client.send(new DeleteObjectCommand(target(key)));
    },
  };
}
