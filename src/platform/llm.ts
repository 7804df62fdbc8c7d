// A minimal client for an OpenAI-compatible chat endpoint (OpenAI, Azure-style proxies, Ollama, vLLM…):
// POST {base}/chat/completions with the documented request and response shapes, nothing else.
import { z } from 'zod';
import type { Config } from './config.ts';
import { redactedUrl } from './redacted-url.ts';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type ChatModel = {
  /** Where requests go, safe to log (never the key). */
  readonly endpoint: string;
  /** The first choice's text; throws on a non-2xx answer, a malformed body, an empty reply or the timeout. */
  complete(messages: ChatMessage[], options?: { maxTokens?: number; temperature?: number }): Promise<string>;
};

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
});

export class ChatModelError extends Error {}

/** The configured chat model, or null when RAPPORT_LLM_URL is unset. */
export function chatModelFrom(config: Config): ChatModel | null {
  if (!config.RAPPORT_LLM_URL) return null;
  const url = `${config.RAPPORT_LLM_URL.replace(/\/+$/, '')}/chat/completions`;
  const apiKey = config.RAPPORT_LLM_API_KEY;
  const timeoutMs = config.RAPPORT_LLM_TIMEOUT_MS;
  return {
    endpoint: redactedUrl(url, 'the configured LLM endpoint'),
    async complete(messages, options = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey && { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify({
          model: config.RAPPORT_LLM_MODEL,
          messages,
          max_tokens: options.maxTokens ?? 200,
          temperature: options.temperature ?? 0.7,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new ChatModelError(`The chat endpoint answered ${response.status}`);
      }
      const parsed = completionSchema.safeParse(await response.json());
      if (!parsed.success) throw new ChatModelError('The chat endpoint answered without a choice');
      const text = parsed.data.choices[0]!.message.content?.trim();
      if (!text) throw new ChatModelError('The chat endpoint answered with an empty message');
      return text;
    },
  };
}
