// auth0-deploy-cli validates every import against its ~8 MB JSON schema with a new Ajv instance, so it compiles
// that schema again each time (10–40 s of CPU; a YAML import validates twice). Imported into a test process, or
// preloaded into an a0deploy child with `node --import tsx --import <this file>` (see a0deployPreload), it makes
// each validation of that one schema reuse a validator compiled once per process. Nothing outside the tests loads
// this.
//
// Almost all of the 8 MB (and of the compile time) is `prompts` (custom text for every language and screen), which
// our tenants never set. `prompts` has no default, so for input without a `prompts` key the schema with `prompts`
// accepting anything gives exactly the same answers, errors and defaults; input with `prompts` gets the full
// schema, compiled on first need. Same Ajv, same options: only compile work is skipped.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

interface AjvInstance {
  _opts: { useDefaults?: unknown; nullable?: unknown };
  errors?: unknown;
  compile(schema: object): AjvValidate;
}
type AjvValidate = ((data: unknown) => boolean) & { errors?: unknown };
interface AjvClass {
  prototype: AjvInstance & { validate(schema: unknown, data: unknown): boolean };
}

const requireHere = createRequire(import.meta.url);
const cliDir = dirname(requireHere.resolve('auth0-deploy-cli/package.json'));
const requireFromCli = createRequire(`${cliDir}/`);
// deploy-cli's own Ajv (6.x, nested under its node_modules) and its schema module: the very objects it uses.
const Ajv = requireFromCli('ajv/lib/ajv') as AjvClass;
const { default: deployCliSchema } = requireFromCli('./lib/tools/auth0/schema.js') as {
  default: { properties: Record<string, unknown> };
};

// The same schema with `prompts` accepting any value (still a declared property, so additionalProperties: false
// treats it as before).
const withoutPromptText = {
  ...deployCliSchema,
  properties: { ...deployCliSchema.properties, prompts: {} },
};
let compiledFull: AjvValidate | undefined;
let compiledWithoutPromptText: AjvValidate | undefined;

function hasPrompts(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Object.hasOwn(data, 'prompts');
}

const validate = Ajv.prototype.validate;
Ajv.prototype.validate = function (this: AjvInstance, schema: unknown, data: unknown): boolean {
  // deploy-cli creates every instance with { useDefaults: true, nullable: true }; anything else compiles as usual.
  if (schema !== deployCliSchema || this._opts.useDefaults !== true || this._opts.nullable !== true)
    return validate.call(this, schema, data);
  const compiled = hasPrompts(data)
    ? (compiledFull ??= this.compile(deployCliSchema))
    : (compiledWithoutPromptText ??= this.compile(withoutPromptText));
  const valid = compiled(data);
  this.errors = compiled.errors;
  return valid;
};

/** Node arguments that load this file into a child process (whatever its cwd) before its main module. */
export const a0deployPreload = [
  '--import',
  pathToFileURL(requireHere.resolve('tsx')).href,
  '--import',
  pathToFileURL(import.meta.filename).href,
];
