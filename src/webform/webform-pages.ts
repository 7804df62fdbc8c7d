import type { FieldDefinition } from '../fields/field-service.ts';
import { type Html, html, raw } from '../helpcenter/helpcenter-html.ts';
import type { HelpUrls } from '../helpcenter/helpcenter-pages.ts';
import type { FieldIssue } from '../platform/errors.ts';

export type Suggestion = { title: string; url: string };

export const formStyles = `
form.contact{display:grid;gap:.35rem;max-width:40rem}
form.contact label{font-weight:600;margin-top:.6rem}
form.contact input:not([type=checkbox]),form.contact select,form.contact textarea{width:100%;padding:.55rem .7rem;font:inherit;border:1px solid var(--line);border-radius:.4rem}
form.contact textarea{min-height:9rem}
form.contact .check{display:flex;gap:.5rem;align-items:center;font-weight:600;margin-top:.6rem}
form.contact button{justify-self:start;margin-top:1rem}
.callback{display:grid;gap:.35rem}
.callback[hidden]{display:none}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.error{color:#b91c1c;margin:.1rem 0}
.alert{border:1px solid #fca5a5;background:#fef2f2;border-radius:.4rem;padding:.6rem .8rem}
.suggest{border:1px solid var(--line);background:var(--bg);border-radius:.4rem;padding:.2rem 1rem;margin:.6rem 0}
.suggest:empty{display:none}
.suggest h2{font-size:1rem;margin:.6rem 0 .2rem}
body.bare main{padding-top:1rem}
`;

const issueFor = (issues: FieldIssue[], path: string) => issues.find((issue) => issue.path === path);
const fieldError = (issues: FieldIssue[], path: string, id: string) => {
  const issue = issueFor(issues, path);
  return issue ? html`<p class="error" id="${id}-error">${issue.message}</p>` : raw('');
};

function customInput(field: FieldDefinition, value: string, issues: FieldIssue[]): Html {
  const id = `field_${field.key}`;
  const error = fieldError(issues, `customFields.${field.key}`, id);
  const required = field.required ? raw(' required') : raw('');
  if (field.type === 'boolean')
    return html`<label class="check"><input type="checkbox" id="${id}" name="${id}"${value ? raw(' checked') : raw('')}${required}> ${field.label}</label>${error}`;
  const label = html`<label for="${id}">${field.label}${field.required ? '' : ' (optional)'}</label>`;
  if (field.type === 'select')
    return html`${label}<select id="${id}" name="${id}"${required}><option value="">Choose…</option>${field.options.map(
      (option) => html`<option${option === value ? raw(' selected') : raw('')}>${option}</option>`,
    )}</select>${error}`;
  const type = field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text';
  return html`${label}<input id="${id}" name="${id}" type="${type}"${field.type === 'number' ? raw(' step="any"') : raw('')} value="${value}"${required}>${error}`;
}

/** The articles the knowledge base finds for what the visitor is asking, shown above the message box. */
export function suggestionList(suggestions: Suggestion[], embedded: boolean): Html {
  if (!suggestions.length) return raw('');
  const target = embedded ? raw(' target="_blank" rel="noopener"') : raw('');
  return html`<h2>These articles may answer your question</h2><ul class="articles">${suggestions.map(
    (s) => html`<li><a href="${s.url}"${target}>${s.title}</a></li>`,
  )}</ul>`;
}

export type ContactFormView = {
  urls: HelpUrls;
  fields: FieldDefinition[];
  values: Record<string, string>;
  error?: { message: string; issues: FieldIssue[] } | undefined;
  suggestions: Suggestion[];
  challenge: string | null;
  powBits: number;
  embedded: boolean;
};

/** The optional call back: a number and a time on the visitor's own clock (the zone set by the script). */
function callbackInputs(values: Record<string, string>, issues: FieldIssue[]): Html {
  const asked = Boolean(values.callback);
  return html`<label class="check"><input type="checkbox" id="callback" name="callback" value="1"${asked ? raw(' checked') : raw('')}> Call me back by phone</label>
<div id="callback-fields" class="callback">
<label for="callback_phone">Phone number</label>
<input id="callback_phone" name="callback_phone" type="tel" maxlength="40" autocomplete="tel" value="${values.callback_phone ?? ''}">${fieldError(issues, 'callback_phone', 'callback_phone')}
<label for="callback_time">Best time to call, in your time zone <span id="callback-zone-name" class="muted"></span></label>
<input id="callback_time" name="callback_time" type="datetime-local" value="${values.callback_time ?? ''}">${fieldError(issues, 'callback_time', 'callback_time')}
<input type="hidden" id="callback_zone" name="callback_zone" value="${values.callback_zone ?? ''}">
</div>`;
}

const CORE = [
  { name: 'name', label: 'Your name', type: 'text', max: 200, autocomplete: 'name' },
  { name: 'email', label: 'Email', type: 'email', max: 320, autocomplete: 'email' },
  { name: 'subject', label: 'Subject', type: 'text', max: 200, autocomplete: 'off' },
] as const;

/** The contact form: name, email, subject (with article suggestions), message, custom fields, files. */
export function contactContent(view: ContactFormView): Html {
  const { values, embedded } = view;
  const issues = view.error?.issues ?? [];
  const core = CORE.map(
    (input) =>
      html`<label for="${input.name}">${input.label}</label><input id="${input.name}" name="${input.name}" type="${input.type}" maxlength="${input.max}" autocomplete="${input.autocomplete}" required value="${values[input.name] ?? ''}">${fieldError(issues, input.name, input.name)}`,
  );
  const pow = view.challenge
    ? html`<input type="hidden" name="pow_challenge" value="${view.challenge}"><input type="hidden" name="pow_nonce" value="">`
    : raw('');
  return html`<h1>Contact us</h1>
<p class="muted">Tell us what you need; we answer by email, or call you back if you ask.</p>
${view.error ? html`<p class="alert" role="alert">${view.error.message}</p>` : raw('')}
<form id="contact" class="contact" method="post" action="${view.urls.base}/contact" enctype="multipart/form-data" data-pow-bits="${view.challenge ? view.powBits : 0}">
${embedded ? html`<input type="hidden" name="embedded" value="1">` : raw('')}
${pow}
<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
${core}
<section id="contact-suggestions" class="suggest" aria-live="polite">${suggestionList(view.suggestions, embedded)}</section>
<label for="message">How can we help?</label>
<textarea id="message" name="message" maxlength="20000" required>${values.message ?? ''}</textarea>${fieldError(issues, 'message', 'message')}
${view.fields.map((field) => customInput(field, values[`field_${field.key}`] ?? '', issues))}
${callbackInputs(values, issues)}
<label for="files">Files (optional, up to 5)</label>
<input id="files" name="files" type="file" multiple>
<p id="contact-status" class="muted" role="status"></p>
${view.challenge ? html`<noscript><p class="alert">This form needs JavaScript to check that you are not a robot.</p></noscript>` : raw('')}
<button type="submit">Send</button>
</form>`;
}

export const sentContent = (urls: HelpUrls, number: number | undefined, embedded: boolean) =>
  html`<h1>Thank you</h1>
<p role="status">We got your request${number ? ` #${number}` : ''} and will answer by email.</p>
${embedded ? raw('') : html`<p><a href="${urls.base}">Back to the help center</a></p>`}`;

/**
 * The form's script: suggests articles while the subject is typed (titles set as text), solves the
 * proof-of-work before sending when the form asks for one, and tells a framing page its height.
 */
export const formScript = (suggestUrl: string, embedded: boolean) => `
(function(){
var form=document.getElementById('contact');if(!form)return;
var EMBED=${embedded ? 'true' : 'false'},subject=document.getElementById('subject'),box=document.getElementById('contact-suggestions'),status=document.getElementById('contact-status'),timer,seq=0;
function resize(){if(EMBED&&window.parent!==window)window.parent.postMessage({rapportContactHeight:document.documentElement.scrollHeight},'*');}
function show(hits){box.textContent='';if(!hits.length){resize();return;}
var h=document.createElement('h2');h.textContent='These articles may answer your question';box.appendChild(h);
var ul=document.createElement('ul');ul.className='articles';
hits.slice(0,5).forEach(function(hit){var li=document.createElement('li'),a=document.createElement('a');a.href=hit.url;a.textContent=hit.title;if(EMBED){a.target='_blank';a.rel='noopener';}li.appendChild(a);ul.appendChild(li);});
box.appendChild(ul);resize();}
if(subject&&window.fetch)subject.addEventListener('input',function(){clearTimeout(timer);var q=subject.value.trim();if(q.length<3)return;
timer=setTimeout(function(){var mine=++seq;fetch(${JSON.stringify(suggestUrl)}+'?q='+encodeURIComponent(q)).then(function(r){return r.ok?r.json():{data:[]};}).then(function(b){if(mine===seq)show(b.data||[]);}).catch(function(){});},250);});
var ask=document.getElementById('callback'),more=document.getElementById('callback-fields'),zone=document.getElementById('callback_zone');
if(ask&&more){var toggle=function(){more.hidden=!ask.checked;resize();};ask.addEventListener('change',toggle);toggle();
try{var tz=Intl.DateTimeFormat().resolvedOptions().timeZone;if(tz&&!zone.value)zone.value=tz;document.getElementById('callback-zone-name').textContent=zone.value?'('+zone.value+')':'';}catch(err){}}
var bits=Number(form.getAttribute('data-pow-bits')||0),solved=false;
function zeros(buffer){var b=new Uint8Array(buffer),n=0;for(var i=0;i<b.length;i++){if(b[i]===0){n+=8;continue;}n+=Math.clz32(b[i])-24;break;}return n;}
form.addEventListener('submit',function(e){if(!bits||solved)return;e.preventDefault();
if(!window.crypto||!crypto.subtle||!window.TextEncoder){status.textContent='This browser cannot run the check this form needs.';return;}
var button=form.querySelector('button[type=submit]'),challenge=form.elements.pow_challenge.value,enc=new TextEncoder(),nonce=0;
button.disabled=true;status.textContent='Checking that you are not a robot…';
function step(){var batch=[];for(var k=0;k<256;k++)batch.push(crypto.subtle.digest('SHA-256',enc.encode(challenge+':'+(nonce+k))));
return Promise.all(batch).then(function(ds){for(var k=0;k<ds.length;k++)if(zeros(ds[k])>=bits)return nonce+k;nonce+=256;return step();});}
step().then(function(found){form.elements.pow_nonce.value=String(found);solved=true;status.textContent='Sending…';form.submit();});});
resize();window.addEventListener('load',resize);window.addEventListener('resize',resize);
})();`;

/**
 * The embed snippet's script: puts the form in an iframe right after the script tag and follows the
 * height the form reports (only from our origin, only from that frame).
 */
export const embedScript = (origin: string, slug: string) => `
(function(){
var ORIGIN=${JSON.stringify(origin)},s=document.currentScript,f=document.createElement('iframe');
if(!s||!s.parentNode)return;
f.src=ORIGIN+'/help/'+${JSON.stringify(encodeURIComponent(slug))}+'/contact/embed';
f.title='Contact form';f.setAttribute('loading','lazy');f.style.cssText='width:100%;border:0;min-height:640px';
s.parentNode.insertBefore(f,s.nextSibling);
window.addEventListener('message',function(e){if(e.origin!==ORIGIN||e.source!==f.contentWindow)return;
var h=e.data&&e.data.rapportContactHeight;if(typeof h==='number'&&h>0&&h<20000)f.style.height=h+'px';});
})();`;

/** What an admin pastes into a site: the script snippet and, for sites without scripts, an iframe. */
export const embedSnippets = (origin: string, slug: string) => {
  const base = `${origin}/help/${encodeURIComponent(slug)}/contact`;
  return {
    url: base,
    script: `<script src="${base}/embed.js" async></script>`,
    iframe: `<iframe src="${base}/embed" title="Contact form" style="width:100%;min-height:720px;border:0"></iframe>`,
  };
};
