import { suggestArticles } from '../bot/bot-service.ts';
import { botSettingsOf } from '../bot/bot-settings.ts';
import { helpUrls } from '../helpcenter/helpcenter-pages.ts';
import { type HelpWorkspace, publicSearch } from '../helpcenter/helpcenter-service.ts';
import type { Db } from '../platform/db/database.ts';
import type { Suggestion } from './webform-pages.ts';

export type FormSuggestions = { source: 'answer_bot' | 'search'; articles: Suggestion[] };

/**
 * Articles offered while the visitor writes: the answer bot's, when it answers web questions here
 * (only those it is confident in), else the help center's search. Links are relative to our origin.
 */
export async function formSuggestions(
  db: Db,
  workspace: HelpWorkspace,
  query: string,
): Promise<FormSuggestions> {
  const question = query.trim();
  if (question.length < 3) return { source: 'search', articles: [] };
  const bot = await botSettingsOf(db, workspace.id);
  if (bot.enabled && bot.channels.includes('web')) {
    const offer = await suggestArticles(db, {
      workspaceId: workspace.id,
      question,
      threshold: bot.threshold,
      origin: '',
    });
    return {
      source: 'answer_bot',
      articles: offer.confident ? offer.articles.map((a) => ({ title: a.title, url: a.url })) : [],
    };
  }
  const urls = helpUrls('', workspace.slug);
  const { hits } = await publicSearch(db, workspace.id, { query: question, limit: 5, log: false });
  return {
    source: 'search',
    articles: hits.map((hit) => ({ title: hit.title, url: urls.article(hit.slug, hit.language) })),
  };
}
