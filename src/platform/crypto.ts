import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const hmacSha256 = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

/** Encrypts small secrets (webhook secrets) for storage with AES-256-GCM under the install's key. */
export function createSecretBox(key: Buffer) {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        sealed.toString('base64url'),
      ].join('.');
    },
    open(box: string): string {
      const [version, iv, tag, sealed] = box.split('.');
      if (version !== 'v1' || !iv || !tag || !sealed) throw new Error('Unknown secret box format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
export type SecretBox = ReturnType<typeof createSecretBox>;

/**
 * The key comes from RAPPORT_SECRET_KEY; without it a key is made once and kept in the data dir,
 * which suits one node. Several nodes must share RAPPORT_SECRET_KEY.
 */
export function loadSecretKey(
  configured: string | undefined,
  dataDir: string,
): { key: Buffer; source: 'env' | 'file' } {
  if (configured) return { key: createHash('sha256').update(configured).digest(), source: 'env' };
  const file = path.join(dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), source: 'file' };
}
