// Loads the repository's GitHub workflows and package.json for the workflow tests, validating the parts the
// tests rely on with zod so a malformed workflow fails with the file and field named.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const workflowsDir = join(repoRoot, '.github', 'workflows');

const stepSchema = z
  .object({
    name: z.string().optional(),
    uses: z.string().optional(),
    run: z.string().optional(),
    if: z.string().optional(),
    with: z.record(z.string(), z.unknown()).optional(),
    env: z.record(z.string(), z.unknown()).optional(),
  })
  .refine(
    (step) => (step.uses === undefined) !== (step.run === undefined),
    'a step needs exactly one of uses/run',
  );

const permissionsSchema = z.union([
  z.enum(['read-all', 'write-all']),
  z.record(z.string(), z.enum(['read', 'write', 'none'])),
]);

const concurrencySchema = z.union([
  z.string(),
  z.object({
    group: z.string(),
    'cancel-in-progress': z.union([z.boolean(), z.string()]).optional(),
  }),
]);

const jobSchema = z.object({
  name: z.string().optional(),
  'runs-on': z.string(),
  'timeout-minutes': z.number().int().positive(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.string().optional(),
  permissions: permissionsSchema.optional(),
  environment: z
    .union([z.string(), z.object({ name: z.string(), url: z.string().optional() })])
    .optional(),
  concurrency: concurrencySchema.optional(),
  strategy: z
    .object({ 'fail-fast': z.boolean().optional(), matrix: z.record(z.string(), z.unknown()) })
    .optional(),
  steps: z.array(stepSchema).min(1),
});

export const workflowSchema = z.object({
  name: z.string(),
  on: z.record(z.string(), z.unknown()),
  permissions: permissionsSchema,
  concurrency: concurrencySchema.optional(),
  jobs: z.record(z.string(), jobSchema),
});

export type Workflow = z.infer<typeof workflowSchema>;
export type Job = Workflow['jobs'][string];

export interface WorkflowFile {
  file: string;
  text: string;
  workflow: Workflow;
}

export function workflowFileNames(): string[] {
  return readdirSync(workflowsDir).filter(
    (name) => name.endsWith('.yml') || name.endsWith('.yaml'),
  );
}

export function loadWorkflow(file: string): WorkflowFile {
  const text = readFileSync(join(workflowsDir, file), 'utf8');
  // uniqueKeys + strict errors: a duplicated key is silently "last wins" on GitHub, an error here.
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new Error(
      `${file}: invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`,
    );
  }
  const parsed = workflowSchema.safeParse(document.toJS());
  if (!parsed.success) {
    throw new Error(
      `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return { file, text, workflow: parsed.data };
}

export function packageScripts(): Record<string, string> {
  const manifest = z
    .object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
  return manifest.scripts;
}

/** `npm run [--flags] NAME` invocations in a shell snippet (NAME may be a pattern like `bench:*` in prose). */
export function npmRunScriptNames(shell: string): string[] {
  return [...shell.matchAll(/\bnpm run(?:\s+--?[\w-]+)*\s+([\w:.*-]+)/g)].map(
    (match) => match[1] ?? '',
  );
}

/** Scripts a name or pattern (`bench:*`) refers to; empty when none exists. */
export function matchingScripts(scripts: Record<string, string>, name: string): string[] {
  if (!name.includes('*')) return name in scripts ? [name] : [];
  const pattern = new RegExp(
    `^${name
      .split('*')
      .map((part) => part.replace(/[.:-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return Object.keys(scripts).filter((script) => pattern.test(script));
}

/** Repository files a package.json script runs (`tsx scripts/x.ts`, `node scripts/y.mjs`, …). */
export function scriptFileArguments(command: string): string[] {
  return command
    .split(/\s+/)
    .filter((token) => /^(?:\.\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:ts|mts|js|mjs|cjs|sh)$/.test(token))
    .filter((token) => !/^(?:vitest|eslint|tsc)\.config\./.test(token));
}

export function repoFileExists(relativePath: string): boolean {
  return existsSync(join(repoRoot, relativePath));
}

export function environmentName(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

export function needsList(job: Job): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}
