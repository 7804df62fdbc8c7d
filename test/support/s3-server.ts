import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/**
 * A real S3-compatible HTTP server (s3rver) on a loopback port with one empty bucket, in a folder of
 * its own. Its one account is S3RVER / S3RVER.
 */
export async function startS3Server(bucket = 'rapport-test') {
  const directory = await mkdtemp(path.join(tmpdir(), 'rapport-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await server.run();
  const endpoint = `127.0.0.1:${address.port}`;
  return {
    bucket,
    directory,
    /** RAPPORT_STORAGE_URL for this server, optionally under a folder of the bucket. */
    storageUrl: (prefix = '') => `s3+http://S3RVER:S3RVER@${endpoint}/${bucket}${prefix ? `/${prefix}` : ''}`,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type S3Server = Awaited<ReturnType<typeof startS3Server>>;
