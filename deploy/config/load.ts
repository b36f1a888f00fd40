// Loads tenant/tenant.yaml + tenant/env/<env>.json into a validated desired state. Every problem (YAML syntax,
// unknown property, missing keyword, dangling reference) is collected and thrown before any request is made.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkBankingApiContract } from './banking-api-contract-check.js';
import { checkDemoUsers, checkManagementApiScopes, missingActionCodeMessage } from './checks.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { referencedKeywords, replaceKeywords, type Keywords } from './keywords.js';
import { checkReferences } from './references.js';
import {
  envFileSchema,
  managedSectionsSchema,
  passthroughSections,
  type EnvFile,
  type ManagedSections,
} from './schema.js';
import { formatPath, lineOfPath } from './yaml-locate.js';

export interface DesiredState {
  sections: ManagedSections;
  /** Sections for auth0-deploy-cli's import (already keyword-replaced). */
  passthrough: Record<string, unknown>;
  deploy: EnvFile['deploy'];
  /** Bundled code of each action, by action name. */
  actionCode: Map<string, string>;
  files: { tenant: string; env: string };
}

export interface LoadOptions {
  tenantFile: string;
  env: string;
  /** Directory of the env files; default <dir of tenantFile>/env. */
  envDir?: string;
  /** Values the deploy computes (AUTH0_DOMAIN, RESOURCE_SERVER_VERIFICATION_KEY); lowest precedence. */
  computedKeywords?: Keywords;
  /** Environment variables; a referenced keyword found here wins over the env file, as in a0deploy's CLI. */
  variables?: NodeJS.ProcessEnv;
  /** False for reading the configuration without built Actions (the tenant checks): missing bundles are skipped. */
  requireActionCode?: boolean;
  /** Values standing in for what the reader cannot know (the tenant checks' placeholders): not cross-checked. */
  isUnknownValue?: (value: string) => boolean;
}

export function loadDesiredState(options: LoadOptions): DesiredState {
  const cwd = process.cwd();
  const tenantPath = resolve(options.tenantFile);
  const envPath = resolve(
    options.envDir ?? resolve(dirname(tenantPath), 'env'),
    `${options.env}.json`,
  );
  const tenantName = displayPath(cwd, tenantPath);
  const envName = displayPath(cwd, envPath);

  if (!existsSync(envPath))
    throw new ConfigError([
      { file: envName, message: `no values file for environment "${options.env}"` },
    ]);
  if (!existsSync(tenantPath))
    throw new ConfigError([{ file: tenantName, message: 'file not found' }]);
  const tenantText = readFileSync(tenantPath, 'utf8');
  const envText = readFileSync(envPath, 'utf8');

  const envFile = parseEnvFile(envText, envName);
  const variables = options.variables ?? process.env;
  const referenced = new Set([...referencedKeywords(tenantText), ...referencedKeywords(envText)]);
  const keywords: Keywords = {
    ...options.computedKeywords,
    ...envFile.AUTH0_KEYWORD_REPLACE_MAPPINGS,
  };
  for (const key of referenced) if (variables[key] !== undefined) keywords[key] = variables[key];

  // The deploy block of the env file may itself use keywords (a demo password from CI secrets).
  const deploy = parseEnvFile(replaceKeywords(envText, keywords, envName), envName).deploy;

  const replaced = replaceKeywords(tenantText, keywords, tenantName);
  const lines = new LineCounter();
  const doc = parseDocument(replaced, { lineCounter: lines, prettyErrors: false });
  // Later YAML errors are mostly consequences of the first one: report that one, precisely.
  const [first] = doc.errors;
  if (first) {
    throw new ConfigError([
      {
        file: tenantName,
        line: lines.linePos(first.pos[0]).line,
        message: `YAML syntax error: ${first.message.split('\n')[0]}`,
      },
    ]);
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError([
      { file: tenantName, message: 'expected a mapping of sections at the top level' },
    ]);

  const managed: Record<string, unknown> = {};
  const passthrough: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key in managedSectionsSchema.shape) managed[key] = value;
    else if (passthroughSections.some((section) => section === key)) passthrough[key] = value;
    else
      problems.push({
        file: tenantName,
        line: lineOfPath(doc, lines, [], key),
        path: key,
        message: 'unknown section (neither managed here nor an auth0-deploy-cli section)',
      });
  }
  const parsed = managedSectionsSchema.safeParse(managed);
  if (!parsed.success)
    problems.push(
      ...zodProblems(parsed.error, tenantName, (path, key) => lineOfPath(doc, lines, path, key)),
    );
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const sections = parsed.data;
  const actionCode = new Map<string, string>();
  sections.actions?.forEach((action, index) => {
    const codePath = resolve(dirname(tenantPath), action.code);
    if (!existsSync(codePath)) {
      if (options.requireActionCode === false) return;
      problems.push({
        file: tenantName,
        line: lineOfPath(doc, lines, ['actions', index, 'code']),
        path: `actions[${index}].code`,
        message: missingActionCodeMessage(action.code, codePath, displayPath(cwd, codePath)),
      });
    } else actionCode.set(action.name, readFileSync(codePath, 'utf8'));
  });
  problems.push(
    ...checkReferences(sections, deploy, tenantName, envName, (path) =>
      lineOfPath(doc, lines, path),
    ),
    ...checkBankingApiContract(
      sections,
      tenantName,
      (path) => lineOfPath(doc, lines, path),
      options.isUnknownValue,
    ),
  );
  const checkContext = {
    tenantFile: tenantName,
    envFile: envName,
    env: options.env,
    locate: (path: PropertyKey[]) => lineOfPath(doc, lines, path),
  };
  problems.push(
    ...checkManagementApiScopes(sections, checkContext),
    ...checkDemoUsers(deploy, checkContext),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return { sections, passthrough, deploy, actionCode, files: { tenant: tenantName, env: envName } };
}

function displayPath(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') ? inside : path;
}

/**
 * The `deploy` block of tenant/env/<env>.json beside `tenantFile` (its rate limit, for commands that read the
 * tenant without loading the whole configuration, like export); undefined when there is no such file.
 */
export function readEnvDeploySettings(
  tenantFile: string,
  env: string,
): EnvFile['deploy'] | undefined {
  const file = resolve(dirname(tenantFile), 'env', `${env}.json`);
  if (!existsSync(file)) return undefined;
  return parseEnvFile(readFileSync(file, 'utf8'), displayPath(process.cwd(), file)).deploy;
}

function parseEnvFile(text: string, file: string): EnvFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file, message: `invalid JSON: ${reason}` }]);
  }
  const parsed = envFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(zodProblems(parsed.error, file, () => undefined));
  return parsed.data;
}

function zodProblems(
  error: z.ZodError,
  file: string,
  locate: (path: PropertyKey[], key?: string) => number | undefined,
): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    const { path } = issue;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file,
        line: locate(path, key),
        path: formatPath([...path, key]),
        message: 'unknown property',
      }));
    }
    return [{ file, line: locate(path), path: formatPath(path), message: issue.message }];
  });
}
