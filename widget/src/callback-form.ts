// "Request a call back": a phone number and a day and time on the visitor's own clock. The browser's
// zone goes with it, so the agent sees the time the visitor meant; the server refuses a time past.
import type { CallbackAsk } from './connection.ts';

function field(label: string, input: HTMLInputElement) {
  const wrap = document.createElement('label');
  wrap.append(label, input);
  input.required = true;
  return wrap;
}

export function callbackForm(send: (ask: CallbackAsk) => void) {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'new-chat';
  toggle.textContent = 'Request a call back';
  const phone = Object.assign(document.createElement('input'), {
    type: 'tel',
    placeholder: '+44 20 7946 0958',
    autocomplete: 'tel',
    maxLength: 32,
  });
  const time = Object.assign(document.createElement('input'), { type: 'datetime-local' });
  const zone = document.createElement('small');
  zone.textContent = `Your time (${timeZone})`;
  const submit = Object.assign(document.createElement('button'), {
    type: 'submit',
    textContent: 'Call me back',
  });
  const cancel = Object.assign(document.createElement('button'), {
    type: 'button',
    className: 'new-chat',
    textContent: 'Cancel',
  });
  const form = document.createElement('form');
  form.className = 'inline';
  form.hidden = true;
  form.setAttribute('aria-label', 'Request a call back');
  form.append(field('Phone number', phone), field('Best time to call', time), zone, submit, cancel);

  const show = (open: boolean) => {
    form.hidden = !open;
    toggle.hidden = open;
    if (!open) return;
    // Not before now on the visitor's clock: the input's own value format, local time.
    time.min = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    phone.focus();
  };
  toggle.addEventListener('click', () => show(true));
  cancel.addEventListener('click', () => show(false));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send({ phone: phone.value.trim(), preferredTime: time.value, timeZone });
    show(false);
  });

  return {
    toggle,
    form,
    /** The line the conversation shows once the request is queued. */
    confirmation(saved: { phone: string; preferredAt: string }) {
      const when = new Date(saved.preferredAt).toLocaleString([], {
        dateStyle: 'medium',
        timeStyle: 'short',
      });
      const line = document.createElement('div');
      line.className = 'ended';
      line.setAttribute('role', 'status');
      line.textContent = `Call back requested: we will call ${saved.phone} on ${when}.`;
      return line;
    },
  };
}
