// `npm run partner -- create|list|show|rotate-secret|suspend|resume|delete`: the partners of the banking API on
// the deploy's target tenant. Arguments are checked before any request; exit 0 done, 1 failed, 2 usage.
import {
  CommandLineError,
  defineCommand,
  parseCommandLine,
  splitSubcommand,
  usageLine,
  type CommandSpec,
  type OptionSpec,
  type SubcommandSet,
} from '../../lib/cli-args.js';
import type { PartnerStatus } from '../../lib/banking-api-contract.js';
import { errorMessage } from '../../lib/guards.js';
import {
  audienceFrom,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  tenantOptions,
  type CommandEnvironment,
  type Output,
} from '../cli.js';
import { ToolError, UsageError } from '../errors.js';
import { openTenant, type ToolTenant } from '../tenant.js';
import { checkPartnerName, parsePartnerScopes, readPublicKey } from './arguments.js';
import { formatPartner, formatPartnerTable, secretWarning } from './format.js';
import {
  createPartner,
  deletePartner,
  listPartners,
  rotatePartnerSecret,
  setPartnerStatus,
  showPartner,
} from './partner-clients.js';

const common = {
  env: {
    type: 'string',
    value: '<name>',
    default: 'local',
    description:
      'target tenant, as for npm run deploy (tenant/env/<name>.json; AUTH0_* for real tenants)',
  },
  audience: {
    type: 'string',
    value: '<api>',
    description: 'the banking API identifier (default AUDIENCE, else https://my-banking-api)',
  },
  json: { type: 'boolean', description: 'print JSON for scripts' },
} as const satisfies Record<string, OptionSpec>;

const byId = (summary: string, example: string) =>
  defineCommand({
    command: `npm run partner -- ${example}`,
    name: `partner ${example}`,
    summary,
    options: common,
    positionals: '<client_id>',
    examples: [`npm run partner -- ${example} abc123XYZ`],
  });

const create = defineCommand({
  command: 'npm run partner -- create',
  name: 'partner create',
  summary:
    'Onboards a partner: a machine-to-machine client with a grant on the banking API.\n' +
    'With --public-key the partner signs client assertions (private_key_jwt, preferred: no shared secret exists\n' +
    'to leak or to hand over); without it the client secret is printed once.',
  options: {
    name: {
      type: 'string',
      value: '<name>',
      description: "the partner's name (unique on the tenant)",
    },
    scopes: {
      type: 'string',
      value: '"<scope …>"',
      description:
        'scopes on the banking API, space or comma separated (default view:balance; never transfer:funds)',
    },
    'public-key': {
      type: 'string',
      value: '<file.pem>',
      description: "the partner's RSA public key (PEM): private_key_jwt instead of a secret",
    },
    ...common,
  },
  examples: [
    'npm run partner -- create --name "Acme Payments" --public-key acme.pem',
    'npm run --silent partner -- create --name "Acme Payments" --json > acme.json',
  ],
});

export const partnerCommands = {
  command: 'npm run partner --',
  name: 'partner',
  summary:
    'Partners of the banking API (machine-to-machine clients) on the tenant npm run deploy targets.',
  subcommands: {
    create,
    list: defineCommand({
      command: 'npm run partner -- list',
      name: 'partner list',
      summary: 'Lists the partners: name, client id, scopes, created, status (never a secret).',
      options: common,
      examples: ['npm run partner -- list', 'npm run --silent partner -- list --json'],
    }),
    show: byId('Shows one partner.', 'show'),
    'rotate-secret': byId(
      "Replaces a partner's client secret and prints the new one once (the old one stops working).",
      'rotate-secret',
    ),
    suspend: byId(
      'Suspends a partner: /oauth/token refuses it new tokens (tokens already issued live until they expire).',
      'suspend',
    ),
    resume: byId('Lets a suspended partner get tokens again.', 'resume'),
    delete: byId('Deletes a partner: its grants, then its client.', 'delete'),
  },
  examples: [
    'npm run partner -- create --name "Acme Payments" --public-key acme.pem',
    'npm run partner -- list',
    'npm run partner -- suspend <client_id>',
  ],
  notes: [
    'Exit codes: 0 done, 1 failed (the tenant refused, unknown client …), 2 wrong command line.',
  ],
} satisfies SubcommandSet;

type Subcommand = keyof typeof partnerCommands.subcommands;

function isSubcommand(name: string): name is Subcommand {
  return Object.hasOwn(partnerCommands.subcommands, name);
}

function usageFailure(
  spec: CommandSpec<Record<string, OptionSpec>> | undefined,
  message: string,
): string {
  const usage = spec
    ? usageLine(spec)
    : `npm run partner -- <${Object.keys(partnerCommands.subcommands).join('|')}> [options]`;
  const help = spec ? `${spec.command} --help` : 'npm run partner -- --help';
  return `${spec?.name ?? 'partner'}: ${message}. Usage: ${usage} (${help} for more)\n`;
}

export async function runPartnerCommand(
  argv: string[],
  environment: CommandEnvironment,
  output: Output,
): Promise<number> {
  let spec: CommandSpec<Record<string, OptionSpec>> | undefined;
  try {
    const split = splitSubcommand(partnerCommands, argv);
    if (split.kind === 'help') {
      output.stdout(split.text);
      return EXIT_OK;
    }
    const name = split.name;
    // splitSubcommand accepts only the set's names: this never throws.
    if (!isSubcommand(name)) throw new UsageError(`unknown command "${name}"`);
    spec = partnerCommands.subcommands[name];
    const parsed = parseCommandLine(
      // Every subcommand's options are create's or a subset of them (common); the ones a subcommand lacks
      // are simply absent from the parsed values, which create's option types already allow.
      // cast: see above (a subcommand's options are a subset of create's)
      partnerCommands.subcommands[name] as typeof create,
      split.rest,
    );
    if (parsed.kind === 'help') {
      output.stdout(parsed.text);
      return EXIT_OK;
    }
    const { values, positionals } = parsed;
    const clientId = spec.positionals ? positionals[0]?.trim() : undefined;
    if (spec.positionals && !clientId) throw new UsageError("missing the partner's <client_id>");
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    // Everything is checked before a request is made (or a local tenant started).
    const newPartner =
      name === 'create'
        ? {
            name: checkPartnerName(values.name),
            scopes: parsePartnerScopes(values.scopes),
            ...(values['public-key'] ? { publicKeyPem: readPublicKey(values['public-key']) } : {}),
          }
        : undefined;
    const audience = audienceFrom(values.audience, environment.variables);
    const tenant = await openTenant(tenantOptions(values.env, environment));
    try {
      await run(name, {
        tenant,
        audience,
        clientId: clientId ?? '',
        json: values.json,
        newPartner,
        output,
      });
    } finally {
      await tenant.close();
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommandLineError || error instanceof UsageError) {
      output.stderr(usageFailure(spec, error.message));
      return EXIT_USAGE;
    }
    if (error instanceof ToolError) {
      output.stderr(`${spec?.name ?? 'partner'}: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug, not the operator's mistake: still one line (DEBUG=1 shows the stack).
    const detail =
      process.env.DEBUG && error instanceof Error
        ? (error.stack ?? error.message)
        : errorMessage(error);
    output.stderr(`partner: unexpected failure: ${detail}\n`);
    return EXIT_FAILED;
  }
}

interface RunContext {
  tenant: ToolTenant;
  audience: string;
  clientId: string;
  json: boolean;
  newPartner: { name: string; scopes: string[]; publicKeyPem?: string } | undefined;
  output: Output;
}

async function run(name: Subcommand, context: RunContext): Promise<void> {
  const { tenant, audience, clientId, json, output } = context;
  const domain = tenant.target.domain;
  const print = (value: unknown, text: string) =>
    output.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : text);
  switch (name) {
    case 'create': {
      const { partner, clientSecret } = await createPartner(tenant, {
        ...context.newPartner!,
        audience,
      });
      print(
        { ...partner, ...(clientSecret ? { client_secret: clientSecret } : {}) },
        `Created partner ${partner.name} on ${domain}\n${formatPartner(partner)}` +
          (clientSecret
            ? `  client secret:  ${clientSecret}\n\n${secretWarning}`
            : '\nThe partner signs client assertions with its private key (private_key_jwt); no secret exists.\n'),
      );
      if (json && clientSecret)
        output.stderr('partner: the client_secret above is shown only this once.\n');
      return;
    }
    case 'list': {
      const partners = await listPartners(tenant, audience);
      print({ partners }, formatPartnerTable(partners, domain));
      return;
    }
    case 'show': {
      const partner = await showPartner(tenant, clientId, audience);
      print(partner, formatPartner(partner));
      return;
    }
    case 'rotate-secret': {
      const rotated = await rotatePartnerSecret(tenant, clientId);
      print(
        rotated,
        `Rotated the secret of partner ${clientId}; the old secret no longer works.\n  client secret:  ${rotated.client_secret}\n\n${secretWarning}`,
      );
      if (json) output.stderr('partner: the client_secret above is shown only this once.\n');
      return;
    }
    case 'suspend':
    case 'resume': {
      const status: PartnerStatus = name === 'suspend' ? 'suspended' : 'active';
      const partner = await setPartnerStatus(tenant, clientId, status, audience);
      print(
        partner,
        name === 'suspend'
          ? `Suspended partner ${partner.name} (${clientId}): /oauth/token refuses it new tokens; tokens already issued stay valid until they expire.\n`
          : `Resumed partner ${partner.name} (${clientId}): it can get tokens again.\n`,
      );
      return;
    }
    case 'delete': {
      await deletePartner(tenant, clientId);
      print(
        { client_id: clientId, deleted: true },
        `Deleted partner ${clientId} and its grants from ${domain}.\n`,
      );
      return;
    }
  }
}
