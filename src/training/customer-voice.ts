// Who writes the simulated customer's words. The state machine always decides what happens (mood, which
// hidden facts come out, escalation, the end); with a chat model configured the model only rephrases
// that decision in the persona's voice, so runs and scores stay reproducible.
import type { FastifyBaseLogger } from 'fastify';
import type { ChatMessage, ChatModel } from '../platform/llm.ts';
import type { Scenario } from './scenario-schema.ts';
import type { TranscriptEntry } from './scorecard.ts';
import type { SimulationState } from './simulation-engine.ts';

export type VoiceInput = {
  scenario: Scenario;
  /** The engine's state after the agent's reply. */
  state: SimulationState;
  /** Facts the customer gives away in this answer. */
  revealedNow: string[];
  /** The conversation so far, ending with the agent's newest reply. */
  transcript: TranscriptEntry[];
  /** The state machine's own line: the fallback, and the model's guidance. */
  scripted: string;
};

export type CustomerVoice = { answer(input: VoiceInput): Promise<string> };

/** Without a model the customer says the scripted line. */
export const scriptedVoice: CustomerVoice = { answer: async ({ scripted }) => scripted };

const moodWords = (mood: number) =>
  mood <= 2 ? 'furious' : mood <= 4 ? 'annoyed' : mood <= 6 ? 'uneasy' : mood <= 8 ? 'calm' : 'pleased';

const styleWords: Record<Scenario['persona']['style'], string> = {
  terse: 'short, clipped sentences',
  chatty: 'chatty, a little rambling',
  formal: 'formal and polite',
  anxious: 'worried, asks for reassurance',
  angry: 'sharp and impatient',
  confused: 'unsure, not technical',
};

function whatHappens(state: SimulationState): string {
  if (state.outcome === 'passed') return 'You accept the solution and end the conversation with thanks.';
  if (state.outcome === 'failed') return 'You give up on this company and end the conversation.';
  if (state.state === 'escalated') return 'You demand to speak to a manager.';
  return 'You keep the conversation going; do not end it.';
}

/** The instructions the model gets: persona, situation, mood, what it may reveal now, and the script. */
export function customerPrompt(input: VoiceInput): ChatMessage[] {
  const { scenario, state, revealedNow } = input;
  const fact = (id: string) => scenario.facts.find((f) => f.id === id);
  const now = revealedNow.flatMap((id) => fact(id)?.fact ?? []);
  const earlier = state.revealed
    .filter((id) => !revealedNow.includes(id))
    .flatMap((id) => fact(id)?.fact ?? []);
  const system = [
    `You are ${scenario.persona.name}, a customer writing to a support agent. Stay in character; never say you are an AI.`,
    `Situation: ${scenario.situation}`,
    `Your first message was: "${scenario.opening}"`,
    `Your mood is ${state.mood} of 10 (${moodWords(state.mood)}); style: ${styleWords[scenario.persona.style]}.`,
    now.length > 0
      ? `In this message, tell the agent: ${now.join(' ')}`
      : 'Reveal no new details in this message.',
    earlier.length > 0 ? `You already told the agent: ${earlier.join(' ')}` : '',
    'Never mention any other detail of your case; the agent has to ask for it.',
    whatHappens(state),
    `Say the same thing as this scripted line, in your own words: "${input.scripted}"`,
    'Answer with the message only, at most three sentences, plain text.',
  ];
  const history: ChatMessage[] = input.transcript.map((entry) => ({
    role: entry.role === 'customer' ? 'assistant' : 'user',
    content: entry.text,
  }));
  return [{ role: 'system', content: system.filter(Boolean).join('\n') }, ...history];
}

/** The model's wording of each answer, falling back to the scripted line on any error or timeout. */
export function modelVoice(model: ChatModel, logger: FastifyBaseLogger): CustomerVoice {
  return {
    async answer(input) {
      try {
        return await model.complete(customerPrompt(input));
      } catch (error) {
        logger.warn(
          { endpoint: model.endpoint, error: error instanceof Error ? error.message : String(error) },
          'The chat model did not answer for the training customer; using the scripted line',
        );
        return input.scripted;
      }
    },
  };
}
