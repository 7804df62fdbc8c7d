import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { DataDirBusyError } from '../platform/db/data-dir-lock.ts';
import { DomainError } from '../platform/errors.ts';
import { CliError } from './cli-error.ts';
import { commands } from './commands.ts';

const usage = `Usage: rapport <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(14)} ${command.summary}`)
  .join('\n')}

Configuration comes from environment variables (see README).`;

async function main(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    console.log(usage);
    return first ? 0 : 1;
  }
  const name = second && commands[`${first} ${second}`] ? `${first} ${second}` : first;
  const command = commands[name];
  if (!command) throw new CliError(`Unknown command "${first}". Run "rapport --help" to see the commands.`);
  const rest = argv.slice(name.split(' ').length);
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options ?? {},
    strict: true,
    allowPositionals: command.positional !== undefined,
  });
  if (positionals.length > 1) throw new CliError(`Unexpected argument "${positionals[1]}"`);
  if (command.positional && positionals[0])
    (values as Record<string, unknown>)[command.positional] = positionals[0];
  return command.run(values as Record<string, string | boolean | undefined>, loadConfig());
}

try {
  const code = await main(process.argv.slice(2));
  if (code !== -1) process.exitCode = code;
} catch (error) {
  const known =
    error instanceof CliError ||
    error instanceof ConfigError ||
    error instanceof DataDirBusyError ||
    error instanceof DomainError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  console.error(
    `rapport: ${known ? (error as Error).message : `unexpected failure: ${(error as Error).stack ?? error}`}`,
  );
  process.exitCode = known ? 1 : 2;
}
