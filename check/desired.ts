// The desired state as a check input: tenant.yaml + tenant/env/<env>.json, read without a tenant or a build, so
// a pull request is checked before anything is deployed.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { referencedKeywords, type Keywords } from '../deploy/config/keywords.js';
import { loadDesiredState, type DesiredState } from '../deploy/config/load.js';
import { desiredStateLocator } from './locate.js';
import type { CheckInput } from './types.js';

/** Stands in for a value the check cannot know (a keyword only CI supplies, a live Action secret). */
export const UNKNOWN_PREFIX = 'unknown-value-of-';

const isUnknown = (value: string): boolean => value.startsWith(UNKNOWN_PREFIX);

/** Keywords the deploy computes from the target; the rules never depend on their values. */
const COMPUTED: Keywords = {
  AUTH0_DOMAIN: 'target-tenant.invalid',
  RESOURCE_SERVER_VERIFICATION_KEY: 'computed at deploy time',
};

export interface DesiredCheckOptions {
  tenantFile: string;
  env: string;
  variables?: NodeJS.ProcessEnv;
}

/** Loads the configuration the way `npm run diff` does (same errors), minus the build and the tenant. */
export function loadDesiredForCheck(options: DesiredCheckOptions): CheckInput {
  const tenantPath = resolve(options.tenantFile);
  const envPath = resolve(dirname(tenantPath), 'env', `${options.env}.json`);
  const variables = options.variables ?? process.env;
  // A keyword only CI supplies (a demo password) must not stop a pull-request check: stand in for it.
  const unset: Keywords = {};
  for (const path of [tenantPath, envPath]) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue; // the loader reports the missing file
    }
    for (const key of referencedKeywords(text)) unset[key] = `${UNKNOWN_PREFIX}${key}`;
  }
  const desired = loadDesiredState({
    tenantFile: tenantPath,
    env: options.env,
    computedKeywords: { ...unset, ...COMPUTED },
    variables,
    requireActionCode: false,
    isUnknownValue: isUnknown,
  });
  return checkInputOf(desired, options.env, tenantPath, envPath);
}

export function checkInputOf(
  desired: DesiredState,
  env: string,
  tenantPath: string,
  envPath: string,
): CheckInput {
  return {
    env,
    source: 'desired',
    sections: desired.sections,
    passthrough: desired.passthrough,
    actionCode: desired.actionCode,
    isUnknown,
    locate: desiredStateLocator(
      { name: desired.files.tenant, text: readFileSync(tenantPath, 'utf8') },
      { name: desired.files.env, text: readFileSync(envPath, 'utf8') },
    ),
  };
}
