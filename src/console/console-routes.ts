import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';

// Until the React console lands, the root page signs an agent in and points at the API,
// so the first login printed on the console has somewhere to go.
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2433; }
  main { max-width: 420px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
  h1 { margin-top: 0; font-size: 1.5rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .6rem; margin-top: .25rem; border: 1px solid #b8bfcc; border-radius: 6px; font: inherit; }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; border: 0; border-radius: 6px; background: #2348c9; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
  [role=alert] { color: #a3141e; min-height: 1.5em; }
</style>
</head>
<body>
<main>
  <h1>Sign in to Rapport</h1>
  <form id="login">
    <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
    <p role="alert" id="error"></p>
  </form>
  <section id="signed-in" hidden>
    <p>Signed in as <strong id="who"></strong> in <strong id="workspace"></strong>.</p>
    <p>The API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
    <button type="button" id="logout">Sign out</button>
  </section>
</main>
<script>
  const show = (me) => {
    document.getElementById('login').hidden = true;
    document.getElementById('signed-in').hidden = false;
    document.getElementById('who').textContent = me.user.name + ' <' + me.user.email + '>';
    document.getElementById('workspace').textContent = me.workspace.name;
  };
  fetch('/api/v1/me').then((r) => (r.ok ? r.json().then(show) : null));
  document.getElementById('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    const body = await response.json();
    if (response.ok) show(body);
    else document.getElementById('error').textContent = body.detail;
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/api/v1/auth/logout', { method: 'POST' });
    location.reload();
  });
</script>
</body>
</html>`;

export function registerConsoleRoutes(app: App, _deps: Deps) {
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'")
      .send(page),
  );
}
