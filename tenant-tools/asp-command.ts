// `npm run asp -- create|list|delete …`: App Specific Passwords of a user on the deploy's target tenant.
import { parseArgs } from 'node:util';
import {
  checkCreateArguments,
  createApplicationPassword,
  deleteApplicationPassword,
  listApplicationPasswords,
  parseScopeList,
  type ApplicationPasswordSummary,
  type TenantUser,
} from './application-passwords.js';
import {
  audienceFrom,
  runCommand,
  tenantOptions,
  type CommandEnvironment,
  type Output,
} from './cli.js';
import { UsageError } from './errors.js';
import { openTenant } from './tenant.js';
import { isOneOf } from '../lib/guards.js';

export const aspUsage = `Usage:
  npm run asp -- create --user <user_id|email> --label <label> --scope "<scope …>" [--audience <api>] [--json]
  npm run asp -- list   --user <user_id|email> [--json]
  npm run asp -- delete --user <user_id|email> --id <asp_id>
Options: --env <name> (target, as for deploy; default local), --audience (default AUDIENCE or https://my-banking-api)
`;

const subcommands = ['create', 'list', 'delete'] as const;

function required(value: string | undefined, flag: string): string {
  if (!value?.trim()) throw new UsageError(`missing --${flag}`);
  return value.trim();
}

const who = (user: TenantUser) => (user.email ? `${user.user_id} (${user.email})` : user.user_id);

function formatList(user: TenantUser, passwords: ApplicationPasswordSummary[]): string {
  if (passwords.length === 0) return `${who(user)} has no App Specific Passwords.\n`;
  const rows = passwords.map((asp) => [
    asp.id,
    asp.label,
    asp.audience,
    asp.scope.join(' '),
    asp.created_at ?? '-',
    asp.last_accessed ?? 'never',
  ]);
  const header = ['ID', 'LABEL', 'AUDIENCE', 'SCOPE', 'CREATED', 'LAST USED'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd() + '\n';
  return (
    `App Specific Passwords of ${who(user)} (values are never shown after creation):\n` +
    line(header) +
    rows.map(line).join('')
  );
}

export async function runAspCommand(
  argv: string[],
  environment: CommandEnvironment,
  output: Output,
): Promise<number> {
  return runCommand('asp', aspUsage, output, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        label: { type: 'string' },
        scope: { type: 'string' },
        id: { type: 'string' },
        audience: { type: 'string' },
        env: { type: 'string', default: 'local' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      output.stdout(aspUsage);
      return;
    }
    const [subcommand, ...extra] = positionals;
    if (!subcommand) throw new UsageError('missing command (create, list or delete)');
    if (!isOneOf(subcommands, subcommand))
      throw new UsageError(`unknown command "${subcommand}" (create, list or delete)`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const user = required(values.user, 'user');
    // Validate every argument before touching the network (or starting a local tenant).
    const create =
      subcommand === 'create'
        ? {
            label: required(values.label, 'label'),
            scopes: parseScopeList(required(values.scope, 'scope')),
            audience: audienceFrom(values.audience, environment.variables),
          }
        : undefined;
    if (create) checkCreateArguments(create.label, create.scopes);
    const id = subcommand === 'delete' ? required(values.id, 'id') : undefined;

    const tenant = await openTenant(tenantOptions(values.env, environment));
    try {
      if (create) {
        const { user: owner, asp } = await createApplicationPassword(tenant, { user, ...create });
        if (values.json) {
          output.stdout(`${JSON.stringify({ ...asp, user_id: owner.user_id }, null, 2)}\n`);
          output.stderr(
            'asp: the value above is shown only this once; the tenant cannot show it again.\n',
          );
          return;
        }
        output.stdout(
          `Created App Specific Password ${asp.id} "${asp.label}" for ${who(owner)} on ${tenant.target.domain}\n` +
            `  audience: ${asp.audience}\n  scope:    ${asp.scope.join(' ')}\n  value:    ${asp.value}\n\n` +
            'WARNING: this is the only time the value is shown. The tenant keeps only a hash and cannot show it again;\n' +
            'store it now. Lost it? Delete this password and create a new one.\n',
        );
        return;
      }
      if (id) {
        const owner = await deleteApplicationPassword(tenant, user, id);
        output.stdout(
          `Deleted App Specific Password ${id} of ${who(owner)}; introspection now answers active: false for it.\n`,
        );
        return;
      }
      const { user: owner, passwords } = await listApplicationPasswords(tenant, user);
      output.stdout(
        values.json
          ? `${JSON.stringify({ user_id: owner.user_id, passwords }, null, 2)}\n`
          : formatList(owner, passwords),
      );
    } finally {
      await tenant.close();
    }
  });
}
