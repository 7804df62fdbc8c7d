import { randomBytes } from 'node:crypto';
import type { HelpBrand } from './helpcenter-service.ts';

/** Text from anyone (titles, queries, comments, brand names) goes through here before it meets HTML. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Marks a string as already-safe HTML (article bodies sanitised by the knowledge base, our own markup). */
export type Html = { readonly html: string };
export const raw = (html: string): Html => ({ html });

/** A tagged template that escapes every interpolated value unless it is `Html` or an array of `Html`. */
export function html(strings: TemplateStringsArray, ...values: Array<string | number | Html | Html[]>): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    if (Array.isArray(value)) out += value.map((v) => v.html).join('');
    else if (typeof value === 'object') out += value.html;
    else out += escapeHtml(String(value));
    out += strings[i + 1] ?? '';
  });
  return { html: out };
}

export const newNonce = () => randomBytes(16).toString('base64');

/**
 * Nothing runs but our one nonce'd script; images may come from https (logos, article pictures);
 * forms post only back here; no framing.
 */
export const contentSecurityPolicy = (nonce: string, frameAncestors = "'none'") =>
  [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

export type PageMeta = {
  title: string;
  description: string;
  canonical: string;
  /** hreflang alternates of an article's language variants. */
  alternates?: Array<{ language: string; href: string }>;
  noindex?: boolean;
};

const colourPattern = /^#[0-9a-fA-F]{3,8}$/;

function styles(brand: HelpBrand): string {
  // The colour is validated on save; checked again because it lands inside CSS.
  const accent = colourPattern.test(brand.color) ? brand.color : '#2563eb';
  return `
:root{--accent:${accent};--text:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f9fafb}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:#fff}
a{color:var(--accent)}
header.site{background:var(--accent);color:#fff;padding:1rem}
header.site .inner,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header.site a.brand{color:#fff;text-decoration:none;font-weight:700;font-size:1.2rem;display:inline-flex;align-items:center;gap:.5rem}
header.site img{height:2rem;width:auto}
form.search{display:flex;gap:.5rem;margin:1rem 0;position:relative}
form.search input{flex:1;min-width:0;padding:.6rem .8rem;font-size:1rem;border:1px solid var(--line);border-radius:.4rem}
button{padding:.55rem 1rem;font-size:1rem;border-radius:.4rem;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
#suggestions{position:absolute;top:100%;left:0;right:0;background:#fff;border:1px solid var(--line);border-radius:.4rem;list-style:none;margin:.2rem 0 0;padding:0;z-index:2;box-shadow:0 4px 12px rgba(0,0,0,.08)}
#suggestions:empty{display:none}
#suggestions a{display:block;padding:.5rem .8rem;text-decoration:none;color:var(--text)}
#suggestions a:hover,#suggestions a:focus{background:var(--bg)}
main{padding-bottom:2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem;padding:0;list-style:none}
.card{border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.card h3{margin:.1rem 0 .3rem;font-size:1.05rem}
.muted{color:var(--muted);font-size:.9rem}
ul.articles{padding-left:1.2rem}
article.body{overflow-wrap:anywhere}
article.body img{max-width:100%;height:auto}
article.body pre{overflow-x:auto;background:var(--bg);padding:.8rem;border-radius:.4rem}
article.body table{border-collapse:collapse;display:block;overflow-x:auto}
article.body td,article.body th{border:1px solid var(--line);padding:.3rem .6rem}
.vote{border-top:1px solid var(--line);margin-top:2rem;padding-top:1rem}
.vote textarea{width:100%;min-height:4rem;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:.4rem}
.vote .buttons{display:flex;gap:.5rem;margin:.5rem 0}
fieldset{border:0;padding:0;margin:0}
nav.crumbs{font-size:.9rem;margin-top:1rem}
footer{border-top:1px solid var(--line);padding:1rem;color:var(--muted);font-size:.9rem}
@media (max-width:36rem){body{font-size:17px}header.site{padding:.75rem}form.search{flex-direction:column}}
`;
}

/** The whole document: brand header with search, the page's content, a footer with "Contact us". */
export function layout(input: {
  brand: HelpBrand;
  base: string;
  meta: PageMeta;
  nonce: string;
  query?: string;
  content: Html;
  script?: string;
  /** Without the brand header and footer: a page shown inside someone else's (the embedded form). */
  bare?: boolean;
  /** More CSS of the page's own (the contact form's, the portal's). */
  styles?: string;
}): string {
  const { brand, base, meta, nonce } = input;
  const logo = brand.logoUrl ? html`<img src="${brand.logoUrl}" alt="">` : raw('');
  const alternates = (meta.alternates ?? []).map(
    (a) => html`<link rel="alternate" hreflang="${a.language}" href="${a.href}">`,
  );
  const page = html`<!doctype html>
<html lang="${brand.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${meta.title}</title>
<meta name="description" content="${meta.description}">
<link rel="canonical" href="${meta.canonical}">
${alternates}
<meta name="robots" content="${meta.noindex ? 'noindex, follow' : 'index, follow'}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
<meta property="og:url" content="${meta.canonical}">
<style nonce="${nonce}">${raw(styles(brand) + (input.styles ?? ''))}</style>
</head>
<body${input.bare ? raw(' class="bare"') : raw('')}>
${
  input.bare
    ? raw('')
    : html`<header class="site"><div class="inner">
<a class="brand" href="${base}">${logo}<span>${brand.name}</span></a>
<form class="search" role="search" action="${base}/search" method="get">
<label for="q" hidden>Search</label>
<input id="q" name="q" type="search" placeholder="Search for answers" autocomplete="off" value="${input.query ?? ''}" aria-controls="suggestions">
<button type="submit">Search</button>
<ul id="suggestions" role="listbox" aria-label="Suggested articles"></ul>
</form>
</div></header>`
}
<main>${input.content}</main>
${brand.contactUrl && !input.bare ? html`<footer>Can't find what you need? <a href="${brand.contactUrl}">Contact us</a></footer>` : raw('')}
<script nonce="${nonce}">${raw(input.script ?? '')}</script>
</body>
</html>`;
  return page.html;
}

/**
 * Search-as-you-type: asks the public JSON endpoint after a short pause and lists titles under the box.
 * Titles are set as text, never as HTML.
 */
export const searchScript = (apiBase: string, base: string) => `
(function(){
var input=document.getElementById('q'),list=document.getElementById('suggestions'),timer,seq=0;
if(!input||!list||!window.fetch)return;
input.addEventListener('input',function(){
clearTimeout(timer);var q=input.value.trim();
if(q.length<2){list.textContent='';return;}
timer=setTimeout(function(){var mine=++seq;
fetch(${JSON.stringify(apiBase)}+'/search?q='+encodeURIComponent(q)+'&typing=1').then(function(r){return r.ok?r.json():{data:[]};}).then(function(body){
if(mine!==seq)return;list.textContent='';
body.data.slice(0,6).forEach(function(hit){var li=document.createElement('li'),a=document.createElement('a');
a.href=${JSON.stringify(base)}+'/articles/'+encodeURIComponent(hit.slug)+(hit.language!=='en'?'?lang='+encodeURIComponent(hit.language):'');
a.textContent=hit.title;a.setAttribute('role','option');li.appendChild(a);list.appendChild(li);});
}).catch(function(){});},150);});
document.addEventListener('keydown',function(e){if(e.key==='Escape')list.textContent='';});
})();`;
