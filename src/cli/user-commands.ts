import { eq } from 'drizzle-orm';
import { workspaces } from '../db/schema/index.ts';
import { type Role, roles } from '../platform/auth/actor.ts';
import { randomToken } from '../platform/crypto.ts';
import { createUser } from '../users/user-service.ts';
import { CliError } from './cli-error.ts';
import type { Command } from './commands.ts';
import { withDatabase } from './server-commands.ts';

export const userCreateCommand: Command = {
  summary: 'Create a user: --email E --name N [--role admin|agent|light] [--password P] [--workspace SLUG]',
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    password: { type: 'string' },
    workspace: { type: 'string', default: 'default' },
  },
  async run(values, config) {
    const email = values.email as string | undefined;
    const role = values.role as string;
    if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw new CliError('--email must be an email address');
    if (!(roles as readonly string[]).includes(role))
      throw new CliError(`--role must be one of ${roles.join(', ')}`);
    const password = (values.password as string | undefined) ?? randomToken(12);
    await withDatabase(config, async ({ db }) => {
      const [workspace] = await db
        .select()
        .from(workspaces)
        .where(eq(workspaces.slug, values.workspace as string));
      if (!workspace) throw new CliError(`No workspace with the slug "${values.workspace}"`);
      await createUser(db, {
        workspaceId: workspace.id,
        email,
        name: (values.name as string | undefined) ?? email.split('@')[0]!,
        password,
        role: role as Role,
      });
    });
    console.log(
      `Created ${role} ${email}${values.password ? '' : ` with the password ${password} (shown only now)`}.`,
    );
    return 0;
  },
};
