// The vocabulary of `npm run check`: a rule looks at one tenant (desired or live) and reports findings, each
// placed at the file and line it comes from (or, for a live tenant, at the resource).
import type { DesiredState } from '../deploy/config/load.js';

export type Severity = 'error' | 'warning' | 'info';

/** Where a finding comes from: a line of tenant.yaml / the env file, or a resource of the live tenant. */
export interface Location {
  file?: string;
  line?: number;
  /** The value is a keyword's: from the env file (in git) or from the environment (a CI secret). */
  keyword?: { key: string; inEnvFile: boolean };
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The resource, e.g. `client "Banking SPA"`. */
  resource: string;
  /** What is wrong here, in one sentence. */
  message: string;
  location: Location;
  /** Set when a checked-in waiver accepts this finding. */
  waived?: { reason: string; expires: string };
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** The area of the tenant (clients, apis, tenant, mfa, databases, attack-protection, actions, step-up). */
  area: string;
  title: string;
  /** Why it matters, one sentence. */
  why: string;
  /** How to fix it, one sentence. */
  fix: string;
  /** Auth0's documentation for it. */
  docs: string;
  /** The CheckMate for Auth0 check it corresponds to, when there is one. */
  checkmate?: string;
}

/** One tenant to check, whichever way it was obtained. Paths are tenant.yaml paths, e.g. ['clients', 0, 'callbacks']. */
export interface CheckInput {
  env: string;
  source: 'desired' | 'live';
  sections: DesiredState['sections'];
  passthrough: Record<string, unknown>;
  /** Bundled code of each Action by name, when available. */
  actionCode: Map<string, string>;
  locate(path: readonly (string | number)[]): Location;
  /** True for a value this source cannot know: an Action secret of a live tenant, a keyword only CI supplies. */
  isUnknown(value: string): boolean;
}

/** What a rule reports: the path it points at, the resource and the message; the rule adds the rest. */
export interface Hit {
  path: readonly (string | number)[];
  resource: string;
  message: string;
  /** Overrides the rule's severity for this hit (e.g. a softer level in local/dev). */
  severity?: Severity;
}

export interface Rule extends RuleMeta {
  run(input: CheckInput): Hit[];
}

/** local and dev may use loopback and plain-http URLs; every other environment is treated as production-like. */
export function isDevelopment(env: string): boolean {
  return env === 'local' || env === 'dev';
}
