// auth0-deploy-cli validates every import against its ~8 MB JSON schema with a new Ajv instance, so it compiles
// that schema again each time (10–40 s of CPU; a YAML import validates twice). Imported into a test process, or
// preloaded into an a0deploy child with `node --import tsx --import <this file>` (see a0deployPreload), it makes
// each validation of that one schema reuse the first compiled validator. Same schema, same Ajv options, same
// answers and errors: only the repeated compile is skipped. Nothing outside the tests loads this.
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
  default: object;
};

let compiled: AjvValidate | undefined;
const validate = Ajv.prototype.validate;
Ajv.prototype.validate = function (this: AjvInstance, schema: unknown, data: unknown): boolean {
  // deploy-cli creates every instance with { useDefaults: true, nullable: true }; anything else compiles as usual.
  if (schema !== deployCliSchema || this._opts.useDefaults !== true || this._opts.nullable !== true)
    return validate.call(this, schema, data);
  compiled ??= this.compile(deployCliSchema);
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
