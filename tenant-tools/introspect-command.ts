// `npm run introspect -- <token> [--json]`: asks the tenant about any token, as the resource server.
import { parseArgs } from 'node:util';
import {
  audienceFrom,
  runCommand,
  tenantOptions,
  type CommandEnvironment,
  type Output,
} from './cli.js';
import { UsageError } from './errors.js';
import { formatIntrospection, introspectToken } from './introspection.js';
import { loadResourceServerPrivateKey } from './resource-server-key.js';
import { openTenant } from './tenant.js';

/**
 * Refresh tokens and App Specific Passwords are random text that may begin with "-": an argument with one dash
 * and more than one character after it is no short flag this command has, so it is the token.
 */
function tokensAsPositionals(argv: string[]): string[] {
  const index = argv.findIndex((arg) => /^-[^-]./.test(arg));
  return index < 0 || argv.includes('--')
    ? argv
    : [...argv.slice(0, index), ...argv.slice(index + 1), '--', argv[index]!];
}

export const introspectUsage = `Usage:
  npm run introspect -- <token | -> [--json] [--audience <api>] [--key <private key file>] [--env <name>]
The token may be a JWT access token, a refresh token or an App Specific Password; "-" reads it from stdin
(keeps it out of shell history). Signs the client assertion with the resource server's private key
(RESOURCE_SERVER_PRIVATE_KEY, RESOURCE_SERVER_PRIVATE_KEY_PATH or keys/resource-server.private.pem).
`;

export async function runIntrospectCommand(
  argv: string[],
  environment: CommandEnvironment,
  output: Output,
): Promise<number> {
  return runCommand('introspect', introspectUsage, output, async () => {
    const { values, positionals } = parseArgs({
      args: tokensAsPositionals(argv),
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        audience: { type: 'string' },
        key: { type: 'string' },
        env: { type: 'string', default: 'local' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      output.stdout(introspectUsage);
      return;
    }
    if (positionals.length === 0) throw new UsageError('missing the token to introspect');
    if (positionals.length > 1)
      throw new UsageError('give exactly one token (quote it if it contains spaces)');
    let token = positionals[0]!;
    if (token === '-') {
      if (!environment.readStdin)
        throw new UsageError('reading the token from stdin is not available here');
      token = (await environment.readStdin()).trim();
    }
    if (!token) throw new UsageError('the token is empty');
    const resourceServer = audienceFrom(values.audience, environment.variables);
    // The key is checked before the tenant is contacted: a missing key is the commonest mistake.
    const key = loadResourceServerPrivateKey({
      variables: environment.variables,
      ...(values.key ? { path: values.key } : {}),
    });

    const tenant = await openTenant(tenantOptions(values.env, environment));
    try {
      const answer = await introspectToken(tenant, {
        token,
        resourceServer,
        privateKey: key.key,
        keyOrigin: key.origin,
      });
      output.stdout(
        values.json ? `${JSON.stringify(answer, null, 2)}\n` : formatIntrospection(answer),
      );
    } finally {
      await tenant.close();
    }
  });
}
