/**
 * The widget's CSS, scoped by its shadow root. The host element's reset is !important because the
 * page's own !important rules match it too, and inherited ones (colour, font) would flow inside.
 */
export const styles = (brand: string) => `
:host { all: initial !important; position: fixed !important; right: 20px !important; bottom: 20px !important;
  z-index: 2147483000 !important; color: #1f2937 !important;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important; --brand: ${brand}; }
* { box-sizing: border-box; font: inherit; }
button { cursor: pointer; border: 0; background: none; color: inherit; }
.launcher { width: 56px; height: 56px; border-radius: 50%; background: var(--brand); color: #fff;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); display: grid; place-items: center; position: relative; }
.launcher svg { width: 26px; height: 26px; fill: currentColor; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px;
  background: #dc2626; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.badge[hidden], [hidden] { display: none !important; }
.panel { position: absolute; right: 0; bottom: 72px; width: 360px; height: min(560px, calc(100vh - 110px));
  background: #fff; border-radius: 14px; box-shadow: 0 8px 32px rgba(0,0,0,.22); display: flex; flex-direction: column; overflow: hidden; }
header { background: var(--brand); color: #fff; padding: 14px 16px; display: flex; gap: 10px; align-items: center; }
header .titles { flex: 1; min-width: 0; }
header strong { display: block; font-weight: 600; font-size: 15px; }
header small { opacity: .9; font-size: 12px; }
.avatars { display: flex; }
.avatars img { width: 28px; height: 28px; border-radius: 50%; border: 2px solid var(--brand); margin-left: -8px; object-fit: cover; background: #fff; }
.close { color: #fff; font-size: 22px; line-height: 1; padding: 4px; }
.mute { color: #fff; font-size: 16px; line-height: 1; padding: 4px; opacity: .9; }
.new-chat { align-self: center; font-size: 12px; color: #4b5563; text-decoration: underline; padding: 4px 14px; }
.ended { align-self: center; font-size: 12px; color: #6b7280; padding: 4px 0; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; background: #f9fafb; }
.greeting { color: #4b5563; background: #fff; border-radius: 10px; padding: 10px 12px; align-self: flex-start; max-width: 85%; }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; }
.msg.visitor { align-self: flex-end; background: var(--brand); color: #fff; border-bottom-right-radius: 4px; }
.msg.agent { align-self: flex-start; background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }
.msg.pending { opacity: .6; }
.csat { align-self: stretch; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; font-size: 13px; }
.csat p { margin: 0 0 6px; }
.csat-scores { display: flex; gap: 4px; flex-wrap: wrap; }
.csat button { border: 1px solid var(--brand); background: #fff; color: var(--brand); border-radius: 12px; padding: 3px 8px; cursor: pointer; }
.csat textarea { width: 100%; box-sizing: border-box; min-height: 48px; margin-bottom: 4px; }
.bot-answer { display: flex; gap: 6px; align-self: flex-start; }
.bot-answer button { border: 1px solid var(--brand); background: #fff; color: var(--brand); border-radius: 14px; padding: 4px 10px; cursor: pointer; }
.msg.failed { background: #fee2e2; color: #991b1b; }
.msg a { color: inherit; text-decoration: underline; }
.who { font-size: 11px; color: #6b7280; align-self: flex-start; margin-top: 4px; }
.seen { font-size: 11px; color: #6b7280; align-self: flex-end; }
.typing { font-size: 12px; color: #6b7280; padding: 0 14px 6px; background: #f9fafb; }
.notice { padding: 10px 14px; background: #fffbeb; color: #92400e; font-size: 13px; border-top: 1px solid #fde68a; }
form.inline { display: flex; flex-direction: column; gap: 6px; padding: 10px 14px; border-top: 1px solid #e5e7eb; }
input, textarea { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; width: 100%; background: #fff; color: #111827; }
.composer { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #e5e7eb; align-items: flex-end; }
.composer textarea { resize: none; height: 40px; max-height: 120px; }
.send, form.inline button { background: var(--brand); color: #fff; border-radius: 8px; padding: 9px 14px; font-weight: 600; }
form.inline small { font-size: 12px; color: #4b5563; }
form.inline label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #4b5563; }
form.inline .new-chat { background: none; color: #4b5563; font-weight: 400; padding: 2px; }
.attach { padding: 8px; color: #6b7280; font-size: 18px; }
@media (max-width: 480px) {
  :host { right: 12px !important; bottom: 12px !important; }
  .panel { position: fixed; inset: 0; width: auto; height: auto; border-radius: 0; }
  /* Full screen on a phone: the header's close button takes over from the launcher. */
  .launcher.open { display: none; }
}
`;
