// What the Actions build reads besides the sources:
// - actions/build-config.json: per-Action size budgets. Budgets are about the build, not the tenant, and
//   tenant.yaml holds only Management API fields (auth0-deploy-cli reads it too), so they live here.
// - tenant/tenant.yaml: each Action's `dependencies` (the Management API field). A package declared there is
//   installed by Auth0 and stays a `require()` in the bundle; its version must be the one package-lock.json pins,
//   so what the tests ran against is what the tenant installs. Every other npm import is bundled in.
import { existsSync, readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { errorMessage, isRecord, stringOrUndefined } from '../lib/guards.js';
import type { ActionDependency } from './runtime/action-require.js';

export interface ActionsBuildConfig {
  budgetsBytes: Readonly<Record<string, number>>;
}

const buildConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  budgetsBytes: z.record(z.string().min(1), z.number().int().positive()).default({}),
});

function label(path: string): string {
  return relative(process.cwd(), path) || path;
}

export function loadBuildConfig(file: string): ActionsBuildConfig {
  if (!existsSync(file)) return { budgetsBytes: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${label(file)}: not valid JSON (${errorMessage(error)})`);
  }
  const parsed = buildConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${label(file)}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return { budgetsBytes: parsed.data.budgetsBytes };
}

const tenantActionsSchema = z.object({
  actions: z
    .array(
      z.object({
        name: z.string(),
        code: z.string(),
        dependencies: z.array(z.object({ name: z.string(), version: z.string() })).optional(),
      }),
    )
    .optional(),
});

/**
 * Declared dependencies per bundle name (the `code` file's base name, as tenant.yaml points at
 * dist/actions/<name>.js). Keyword markers are neutralised before parsing: dependencies never use them.
 */
export function readDeclaredDependencies(tenantFile: string): Map<string, ActionDependency[]> {
  const declared = new Map<string, ActionDependency[]>();
  if (!existsSync(tenantFile)) return declared;
  const text = readFileSync(tenantFile, 'utf8').replace(
    /(["']?)@@([A-Za-z0-9_]+)@@\1|##([A-Za-z0-9_]+)##/g,
    (_match, _quote, json: string | undefined, plain: string | undefined) =>
      json ? 'null' : plain!,
  );
  const parsed = tenantActionsSchema.safeParse(parse(text));
  if (!parsed.success)
    throw new Error(`${label(tenantFile)}: actions: ${parsed.error.issues[0]?.message}`);
  for (const action of parsed.data.actions ?? []) {
    if (action.dependencies?.length)
      declared.set(basename(action.code).replace(/\.js$/, ''), action.dependencies);
  }
  return declared;
}

/** The version package-lock.json pins for an installed package, if any. */
export function lockedVersion(lockFile: string, name: string): string | undefined {
  if (!existsSync(lockFile)) return undefined;
  const lock: unknown = JSON.parse(readFileSync(lockFile, 'utf8'));
  const packages = isRecord(lock) ? lock['packages'] : undefined;
  const entry = isRecord(packages) ? packages[`node_modules/${name}`] : undefined;
  return isRecord(entry) ? stringOrUndefined(entry['version']) : undefined;
}
