import path from 'node:path';
import { z } from 'zod';

const roles = ['web', 'worker', 'smtp'] as const;
export type ProcessRole = (typeof roles)[number];

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/** Every setting Rapport reads from the environment; the README's table lists the same names. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  RAPPORT_PUBLIC_URL: optionalString,
  RAPPORT_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  RAPPORT_ADMIN_EMAIL: optionalString,
  RAPPORT_ADMIN_PASSWORD: optionalString,
  RAPPORT_SECRET_KEY: optionalString,
  RAPPORT_ROLES: z
    .string()
    .default('web,worker,smtp')
    .transform((value) => value.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(roles)).min(1)),
  RAPPORT_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  RAPPORT_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  RAPPORT_LOGIN_LOCKOUT_FAILURES: z.coerce.number().int().positive().default(10),
  RAPPORT_LOGIN_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  RAPPORT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Webhooks and imports may reach loopback and private networks only when this says so.
  RAPPORT_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  // Bearer token Prometheus sends for /metrics; without one only this host and private networks may scrape.
  RAPPORT_METRICS_TOKEN: optionalString,
  // Inbound mail: the built-in SMTP server (smtp role).
  RAPPORT_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  RAPPORT_SMTP_HOST: z.string().default('127.0.0.1'),
  RAPPORT_SMTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  // PEM files; with both set the SMTP server offers STARTTLS.
  RAPPORT_SMTP_TLS_KEY: optionalString,
  RAPPORT_SMTP_TLS_CERT: optionalString,
  RAPPORT_EMAIL_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  // Messages one sender may send a workspace per hour before the rest are quarantined (mail loops).
  RAPPORT_EMAIL_SENDER_LIMIT: z.coerce.number().int().positive().default(30),
  RAPPORT_IMAP_POLL_SECONDS: z.coerce.number().positive().default(60),
  // Outbound relay for workspaces that configured none, e.g. smtp://user:pass@smtp.example.com:587.
  RAPPORT_SMTP_RELAY_URL: optionalString,
  // Live chat limits: characters per message, messages per second per visitor (bursts of five times
  // that), open widget sockets per client address on one node.
  RAPPORT_CHAT_MAX_MESSAGE_CHARS: z.coerce.number().int().positive().default(4000),
  RAPPORT_CHAT_MESSAGES_PER_SECOND: z.coerce.number().positive().default(2),
  RAPPORT_CHAT_CONNECTIONS_PER_IP: z.coerce.number().int().positive().default(20),
  RAPPORT_JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).default(30),
  RAPPORT_JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).default(15),
  // Where attachments live: unset (the data dir), file:///folder, or s3://ACCESS:SECRET@host/bucket.
  RAPPORT_STORAGE_URL: optionalString.refine(
    (value) => !value || /^(file|s3|s3\+http):\/\//.test(value),
    'must start with file://, s3:// or s3+http://',
  ),
  // Realtime fan-out between nodes: PostgreSQL NOTIFY, or Redis pub/sub / NATS for high volume.
  RAPPORT_FANOUT: z.enum(['postgres', 'redis', 'nats']).default('postgres'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  // Optional OpenAI-compatible chat endpoint (base URL ending in /v1) that voices the training customer.
  RAPPORT_LLM_URL: optionalString.refine(
    (value) => !value || /^https?:\/\//.test(value),
    'must be an http(s) URL',
  ),
  RAPPORT_LLM_MODEL: z.string().default('gpt-4o-mini'),
  RAPPORT_LLM_API_KEY: optionalString,
  RAPPORT_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${issues.join('; ')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.RAPPORT_DATA_DIR) };
}

export function publicUrl(config: Config, port = config.PORT): string {
  if (config.RAPPORT_PUBLIC_URL) return config.RAPPORT_PUBLIC_URL.replace(/\/$/, '');
  const host = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
  return `http://${host}:${port}`;
}
