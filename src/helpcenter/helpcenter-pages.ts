import type { KbCategory } from '../kb/kb-category-service.ts';
import { excerptOf } from '../kb/kb-markdown.ts';
import type { KbSearchHit } from '../kb/kb-search.ts';
import type { KbArticle } from '../kb/kb-service.ts';
import { type Html, html, raw } from './helpcenter-html.ts';

/** URLs of one workspace's help center, absolute where search engines need them. */
export type HelpUrls = {
  base: string;
  origin: string;
  article(slug: string, language: string): string;
  category(slug: string): string;
};

export function helpUrls(origin: string, workspaceSlug: string): HelpUrls {
  const base = `/help/${encodeURIComponent(workspaceSlug)}`;
  return {
    base,
    origin,
    article: (slug, language) =>
      `${base}/articles/${encodeURIComponent(slug)}${language === 'en' ? '' : `?lang=${encodeURIComponent(language)}`}`,
    category: (slug) => `${base}/categories/${encodeURIComponent(slug)}`,
  };
}

type ArticleLink = { slug: string; title: string; language: string };
const articleList = (urls: HelpUrls, articles: ArticleLink[]) =>
  html`<ul class="articles">${articles.map((a) => html`<li><a href="${urls.article(a.slug, a.language)}">${a.title}</a></li>`)}</ul>`;

export function homeContent(
  urls: HelpUrls,
  brandName: string,
  tree: Array<KbCategory & { sections: KbCategory[] }>,
  top: KbArticle[],
): Html {
  const cards = tree.map(
    (c) =>
      html`<li class="card"><h3><a href="${urls.category(c.slug)}">${c.name}</a></h3><p class="muted">${c.description}</p></li>`,
  );
  return html`<h1>How can we help?</h1>
<p class="muted">Answers from the ${brandName} team.</p>
${tree.length ? html`<h2>Categories</h2><ul class="grid">${cards}</ul>` : raw('')}
<h2>Top articles</h2>
${top.length ? articleList(urls, top) : html`<p class="muted">No articles yet.</p>`}`;
}

export function categoryContent(
  urls: HelpUrls,
  category: KbCategory,
  sections: KbCategory[],
  byCategory: Map<string, KbArticle[]>,
): Html {
  const own = byCategory.get(category.id) ?? [];
  const parts = sections.map((s) => {
    const list = byCategory.get(s.id) ?? [];
    return html`<section><h2 id="${s.slug}">${s.name}</h2>${s.description ? html`<p class="muted">${s.description}</p>` : raw('')}${list.length ? articleList(urls, list) : html`<p class="muted">No articles yet.</p>`}</section>`;
  });
  return html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${urls.base}">Help center</a> › ${category.name}</nav>
<h1>${category.name}</h1>
${category.description ? html`<p>${category.description}</p>` : raw('')}
${own.length ? articleList(urls, own) : sections.length ? raw('') : html`<p class="muted">No articles yet.</p>`}
${parts}`;
}

export type VoteState = 'thanks' | 'none';

export function articleContent(input: {
  urls: HelpUrls;
  article: KbArticle;
  category: KbCategory | null;
  related: KbSearchHit[];
  translations: KbArticle[];
  vote: VoteState;
  searchId: string | undefined;
}): Html {
  const { urls, article, category } = input;
  const crumbs = html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${urls.base}">Help center</a>${category ? html` › <a href="${urls.category(category.slug)}">${category.name}</a>` : raw('')}</nav>`;
  const languages = input.translations.filter((t) => t.id !== article.id);
  const updated = (article.publishedAt ?? article.updatedAt).toISOString().slice(0, 10);
  const vote =
    input.vote === 'thanks'
      ? html`<section class="vote" id="vote" aria-live="polite"><p><strong>Thanks for your feedback!</strong></p></section>`
      : html`<section class="vote" id="vote">
<form method="post" action="${urls.base}/articles/${encodeURIComponent(article.slug)}/vote">
<fieldset><legend><strong>Was this helpful?</strong></legend>
<input type="hidden" name="articleId" value="${article.id}">
<input type="hidden" name="language" value="${article.language}">
${input.searchId ? html`<input type="hidden" name="searchId" value="${input.searchId}">` : raw('')}
<label for="comment" class="muted">Anything we should add? (optional)</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<div class="buttons"><button type="submit" name="helpful" value="yes">Yes</button><button type="submit" name="helpful" value="no" class="secondary">No</button></div>
</fieldset></form></section>`;
  return html`${crumbs}
<article>
<h1>${article.title}</h1>
<p class="muted">Updated <time datetime="${updated}">${updated}</time>${languages.length ? html` · Also in: ${languages.map((t, i) => html`${i ? ', ' : ''}<a href="${urls.article(t.slug, t.language)}" hreflang="${t.language}">${t.language}</a>`)}` : raw('')}</p>
<div class="body">${raw(article.bodyHtml)}</div>
</article>
${vote}
${input.related.length ? html`<section><h2>Related articles</h2>${articleList(urls, input.related)}</section>` : raw('')}`;
}

export function searchContent(
  urls: HelpUrls,
  query: string,
  hits: KbSearchHit[],
  searchId: string | null,
  contactUrl: string | null,
): Html {
  const suffix = (language: string) =>
    searchId ? `${language === 'en' ? '?' : '&'}search=${encodeURIComponent(searchId)}` : '';
  const results = hits.map(
    (h) =>
      html`<li class="card"><h3><a href="${urls.article(h.slug, h.language) + suffix(h.language)}">${h.title}</a></h3><p class="muted">${h.excerpt}</p></li>`,
  );
  if (!query) return html`<h1>Search</h1><p>Type a question in the box above.</p>`;
  return html`<h1>Results for “${query}”</h1>
${hits.length ? html`<ul class="grid" aria-label="Search results">${results}</ul>` : html`<p>No articles match. Try other words${contactUrl ? html`, or <a href="${contactUrl}">contact us</a>` : raw('')}.</p>`}`;
}

export const notFoundContent = (urls: HelpUrls, what: string) =>
  html`<h1>Not found</h1><p>${what} does not exist or is no longer published.</p><p><a href="${urls.base}">Back to the help center</a></p>`;

export const describe = (article: KbArticle) => excerptOf(article.bodyText, 160) || article.title;

const xml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** sitemap.xml: the home page, every category and every public article with its last change. */
export function sitemap(urls: HelpUrls, categories: KbCategory[], articles: KbArticle[]): string {
  const entry = (path: string, lastmod?: Date) =>
    `<url><loc>${xml(urls.origin + path)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${[
  entry(urls.base),
  ...categories.filter((c) => !c.parentId).map((c) => entry(urls.category(c.slug))),
  ...articles.map((a) => entry(urls.article(a.slug, a.language), a.updatedAt)),
].join('\n')}
</urlset>
`;
}
