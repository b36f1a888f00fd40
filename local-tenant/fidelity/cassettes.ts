// Loads go-vcr cassettes (YAML, version 2: the format go-auth0 records its tests in) and assigns each recorded
// interaction to the Auth0 resource its test exercises.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const interactionSchema = z.object({
  id: z.number().int(),
  request: z.object({
    body: z.string().default(''),
    url: z.string(),
    method: z.string(),
    headers: z.record(z.string(), z.array(z.string())).nullish(),
  }),
  response: z.object({ body: z.string().default(''), code: z.number().int() }),
});
const cassetteSchema = z.object({ interactions: z.array(interactionSchema) });

export type RecordedInteraction = z.infer<typeof interactionSchema>;

export interface Cassette {
  /** Path relative to the recordings folder, with '/' separators: the cassette's stable name. */
  name: string;
  resource: ResourceName;
  interactions: RecordedInteraction[];
}

/** Rows of the fidelity table, in print order; the first six are the core the deploy engine relies on. */
export const resourceNames = [
  'resource servers',
  'clients',
  'client grants',
  'actions',
  'guardian factors',
  '/oauth/token',
  'tenant settings',
  'connections',
  'users',
] as const;
export type ResourceName = (typeof resourceNames)[number];
export const coreResources: readonly ResourceName[] = resourceNames.slice(0, 6);

// A go-auth0 test's name says which manager it tests; its setup calls (a client created for a grant test)
// count towards that resource, as they are part of the sequence the test recorded.
const byTestName: [RegExp, ResourceName][] = [
  [/^authentication\//, '/oauth/token'],
  [/^TestResourceServer/, 'resource servers'],
  [/^TestClientGrant/, 'client grants'],
  [/^TestClient/, 'clients'],
  [/^(TestActionManager|TestApplyActions)/, 'actions'],
  [/^TestGuardian/, 'guardian factors'],
  [/^TestTenantManager/, 'tenant settings'],
  [/^TestConnectionManager/, 'connections'],
  [/^TestUserManager/, 'users'],
];

export function resourceOf(cassetteName: string): ResourceName | undefined {
  return byTestName.find(([pattern]) => pattern.test(cassetteName))?.[1];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return entry.endsWith('.yaml') ? [path] : [];
    });
}

/** Every cassette under `dir` whose test belongs to a resource of the table, sorted by name. */
export function loadCassettes(dir: string): Cassette[] {
  return yamlFiles(dir).flatMap((path) => {
    const name = relative(dir, path).split(sep).join('/');
    const resource = resourceOf(name);
    if (!resource) return [];
    const parsed = cassetteSchema.safeParse(parse(readFileSync(path, 'utf8')));
    if (!parsed.success)
      throw new Error(`${path}: not a go-vcr cassette (${parsed.error.issues[0]?.message})`);
    return [{ name, resource, interactions: parsed.data.interactions }];
  });
}
