import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { createDiskStorage, type Storage } from './storage.ts';
import { createS3Storage, parseS3Url } from './storage-s3.ts';

/**
 * The attachment store RAPPORT_STORAGE_URL names: unset, the data dir's attachments folder;
 * `file:///folder`, that folder (a shared mount, for several nodes); `s3://` or `s3+http://`, an
 * S3-compatible bucket (see parseS3Url).
 */
export function storageFromConfig(config: Pick<Config, 'RAPPORT_STORAGE_URL' | 'dataDir'>): Storage {
  const url = config.RAPPORT_STORAGE_URL;
  if (!url) return createDiskStorage(path.join(config.dataDir, 'attachments'));
  if (url.startsWith('file:')) return createDiskStorage(fileURLToPath(url));
  return createS3Storage(parseS3Url(url));
}
