import { z } from 'zod';

/** Close codes the widget acts on (README lists them); 1009 is the standard "too big". */
export const CLOSE = {
  tooBig: 1009,
  badRequest: 4400,
  identityRejected: 4403,
  unknownWorkspace: 4404,
  identifyTimeout: 4408,
  tooManyMessages: 4429,
  tooManyConnections: 4430,
} as const;

const id = z.string().min(1).max(100);
const page = z.object({ url: z.string().max(4000).nullish(), title: z.string().max(1000).nullish() });

export const identifyFrame = z.strictObject({
  type: z.literal('identify'),
  token: z.string().max(200).nullish(),
  user: z
    .strictObject({
      id: z.string().min(1).max(200),
      hash: z.string().min(1).max(200),
      name: z.string().max(200).nullish(),
      email: z.email().max(320).nullish(),
    })
    .nullish(),
  page: page.nullish(),
  /** Conversations the widget shows and the last sequence number it has of each. */
  resume: z
    .array(z.strictObject({ conversationId: z.uuid(), lastSeq: z.number().int().min(0) }))
    .max(10)
    .nullish(),
});

const messageFrame = z.strictObject({
  type: z.literal('message'),
  clientId: id,
  text: z.string(),
  /** Refs of files uploaded through POST /api/v1/chat/files. */
  files: z.array(z.string().max(200)).max(10).nullish(),
  conversationId: z.uuid().nullish(),
  prechat: z.record(z.string().max(100), z.string().max(1000)).nullish(),
});

const resumeFrame = z.strictObject({
  type: z.literal('resume'),
  conversationId: z.uuid(),
  lastSeq: z.number().int().min(0),
});

const typingFrame = z.strictObject({
  type: z.literal('typing'),
  conversationId: z.uuid(),
  typing: z.boolean(),
});
const readFrame = z.strictObject({
  type: z.literal('read'),
  conversationId: z.uuid(),
  seq: z.number().int().min(0),
});
const pageFrame = z.strictObject({
  type: z.literal('page'),
  url: z.string().max(4000).nullish(),
  title: z.string().max(1000).nullish(),
});
const emailFrame = z.strictObject({
  type: z.literal('email'),
  email: z.email().max(320),
  name: z.string().max(200).nullish(),
});

const csatFrame = z.strictObject({
  type: z.literal('csat'),
  conversationId: z.uuid(),
  score: z.number().int().min(1).max(5),
  comment: z.string().max(4000).nullish(),
});

/** A call back the visitor asks for: the number, and a time read on their browser's clock. */
const callbackFrame = z.strictObject({
  type: z.literal('callback'),
  clientId: id,
  phone: z.string().max(40),
  preferredTime: z.string().max(40),
  timeZone: z.string().min(1).max(64),
  conversationId: z.uuid().nullish(),
});

export const clientFrame = z.discriminatedUnion('type', [
  messageFrame,
  callbackFrame,
  resumeFrame,
  typingFrame,
  readFrame,
  pageFrame,
  emailFrame,
  csatFrame,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'frame'}: ${i.message}`).join('; ');

/** A per-key token bucket: `take` answers whether one more is allowed now. */
export function tokenBuckets(perSecond: number, burst: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string): boolean {
      const now = performance.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    forget(key: string) {
      const bucket = buckets.get(key);
      if (bucket && bucket.tokens >= burst - 1) buckets.delete(key);
    },
  };
}
