import { count, eq } from 'drizzle-orm';
import { tickets, workspaces } from '../db/schema/index.ts';
import { seedDemoWorkspace } from '../demo/demo-seed.ts';
import { ensureFirstAdmin } from '../workspaces/bootstrap.ts';
import { CliError } from './cli-error.ts';
import type { Command } from './commands.ts';
import { withDatabase } from './server-commands.ts';

export const seedCommand: Command = {
  summary: 'Load a demo helpdesk into a workspace: --demo [--workspace SLUG] [--force]',
  options: {
    demo: { type: 'boolean' },
    workspace: { type: 'string', default: 'default' },
    force: { type: 'boolean' },
  },
  async run(values, config) {
    if (!values.demo) throw new CliError('Say what to seed: "rapport seed --demo" loads a demo helpdesk');
    const slug = values.workspace as string;
    const started = performance.now();
    const result = await withDatabase(config, async ({ db }) => {
      // On a fresh install the default workspace only exists after the first start; make it now.
      const admin = await ensureFirstAdmin(db, {
        email: config.RAPPORT_ADMIN_EMAIL,
        password: config.RAPPORT_ADMIN_PASSWORD,
      });
      if (admin) {
        console.log(
          `First run: created the workspace "default" and the admin ${admin.email}` +
            (admin.password
              ? ` with the password ${admin.password} (shown only now).`
              : ' with the password from RAPPORT_ADMIN_PASSWORD.'),
        );
      }
      const [workspace] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
      if (!workspace) throw new CliError(`No workspace with the slug "${slug}"`);
      const [existing] = await db
        .select({ n: count() })
        .from(tickets)
        .where(eq(tickets.workspaceId, workspace.id));
      const n = Number(existing?.n ?? 0);
      if (n > 0 && !values.force) {
        throw new CliError(
          `The workspace "${slug}" already has ${n} tickets; add --force to load the demo beside them`,
        );
      }
      return seedDemoWorkspace(db, { workspaceId: workspace.id });
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const fresh = result.agents.some((agent) => agent.created);
    const lines = [
      `Loaded the demo into "${slug}" in ${seconds} s: ${result.agents.length} agents, ${result.teams} teams, ` +
        `${result.customers} customers, ${result.tickets} tickets, ${result.messages} messages.`,
      fresh
        ? `Demo agents sign in with the password ${result.password} (shown only now):`
        : 'Demo agents (they existed already; their passwords are unchanged):',
      ...result.agents.map(
        (agent) => `  ${agent.email}  ${agent.name}${fresh && !agent.created ? '  (existed already)' : ''}`,
      ),
    ];
    console.log(lines.join('\n'));
    return 0;
  },
};
