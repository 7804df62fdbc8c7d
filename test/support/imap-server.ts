import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { describe, it } from 'vitest';

/** Debian puts dovecot in /usr/sbin, which a normal user's PATH often lacks. */
export function findDovecot(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'dovecot');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * A suite that needs a real IMAP server (Debian's dovecot-imapd): skipped with one printed line when
 * dovecot is not installed, failing instead in CI or with REQUIRE_IMAP=1, so it never skips silently.
 */
export function describeImapOnly(name: string, suite: () => void) {
  if (findDovecot()) {
    describe(name, suite);
  } else if (process.env.CI || process.env.REQUIRE_IMAP === '1') {
    describe(name, () => {
      it('runs against dovecot', () => {
        throw new Error(
          'dovecot is not installed (apt-get install -y dovecot-imapd) but CI or REQUIRE_IMAP=1 is set',
        );
      });
    });
  } else {
    console.log(`[rapport tests] dovecot not found: skipping "${name}" (apt-get install -y dovecot-imapd).`);
    describe.skip(name, () => it('needs dovecot', () => {}));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

/** Resolves once the server greets with its capabilities (dovecot first says it waits for auth). */
async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let seen = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (/\* OK \[CAPABILITY[^\r\n]*\r\n/.test(seen)) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/**
 * Who the mail processes run as. Dovecot refuses uid 0 for mail and root for its login processes, so
 * as root (CI) mail belongs to `nobody` and the login and internal users are the package's own
 * dovenull and dovecot; as anyone else everything runs as that user.
 */
function identity(root: string) {
  const me = userInfo();
  if (me.uid !== 0)
    return {
      uid: me.uid,
      gid: me.gid,
      settings: [
        `default_internal_user = ${me.username}`,
        `default_login_user = ${me.username}`,
        `default_internal_group = ${execFileSync('id', ['-gn']).toString().trim()}`,
      ],
    };
  const uid = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  chownSync(root, uid, gid);
  return { uid, gid, settings: [] };
}

const ACCOUNTS = 200;

export type ImapUser = { username: string; password: string };

export type ImapServer = {
  host: string;
  port: number;
  /** A fresh account with an empty INBOX, so each test has a mailbox of its own. */
  createUser(): ImapUser;
  /** A connected client for the account; the caller logs out. */
  client(user: ImapUser): Promise<ImapFlow>;
  /** Appends raw messages to a folder (created when missing), in order. */
  append(user: ImapUser, folder: string, messages: (string | Buffer)[]): Promise<void>;
  /** The flags of every message in the folder, by UID. */
  flags(user: ImapUser, folder: string): Promise<Map<number, Set<string>>>;
  stop(): Promise<void>;
};

/**
 * A private dovecot for one test file: its own config, runtime dir, passwd-file and maildirs under a
 * temp dir, plaintext login on a random loopback port, stopped by stop().
 */
export async function startImapServer(): Promise<ImapServer> {
  const binary = findDovecot();
  if (!binary) throw new Error('dovecot is not installed (apt-get install -y dovecot-imapd)');
  const dir = mkdtempSync(path.join(tmpdir(), 'rapport-dovecot-'));
  // Dovecot's unprivileged processes must reach their sockets under base_dir.
  chmodSync(dir, 0o755);
  const mailRoot = path.join(dir, 'mail');
  mkdirSync(mailRoot);
  // Accounts are made up front: dovecot notices a changed passwd-file only by its mtime in seconds.
  const users = Array.from({ length: ACCOUNTS }, () => ({
    username: `user-${randomUUID().slice(0, 8)}`,
    password: `pw-${randomUUID()}`,
  }));
  const passwd = path.join(dir, 'passwd');
  writeFileSync(passwd, users.map((user) => `${user.username}:{PLAIN}${user.password}\n`).join(''));
  const { uid, gid, settings } = identity(mailRoot);
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      // Failed logins answer at once: no failure delay, no growing penalty for 127.0.0.1.
      'auth_failure_delay = 0',
      'login_trusted_networks = 127.0.0.0/8',
      `first_valid_uid = ${uid}`,
      `first_valid_gid = ${gid}`,
      ...settings,
      `mail_location = maildir:${mailRoot}/%u`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${passwd}\n}`,
      `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${mailRoot}/%u\n}`,
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => {
    try {
      return readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  };
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${stderr}${log()}`);
    if (await greets(port)) break;
    if (attempt > 100) {
      child.kill('SIGKILL');
      throw new Error(`dovecot did not answer on port ${port}: ${stderr}${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const host = '127.0.0.1';
  async function client(user: ImapUser) {
    const imap = new ImapFlow({
      host,
      port,
      secure: false,
      auth: { user: user.username, pass: user.password },
      logger: false,
    });
    await imap.connect();
    return imap;
  }

  return {
    host,
    port,
    createUser() {
      const user = users.pop();
      if (!user) throw new Error(`All ${ACCOUNTS} test accounts are used; raise ACCOUNTS`);
      return user;
    },
    client,
    async append(user, folder, messages) {
      const imap = await client(user);
      try {
        if (folder !== 'INBOX') await imap.mailboxCreate(folder).catch(() => undefined);
        for (const message of messages) await imap.append(folder, message);
      } finally {
        await imap.logout();
      }
    },
    async flags(user, folder) {
      const imap = await client(user);
      try {
        await imap.mailboxOpen(folder, { readOnly: true });
        const result = new Map<number, Set<string>>();
        for (const message of await imap.fetchAll('1:*', { uid: true, flags: true }))
          result.set(message.uid, message.flags ?? new Set());
        return result;
      } finally {
        await imap.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
