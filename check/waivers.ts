// Checked-in waivers (tenant/check-waivers.yaml): a finding a reviewer accepted, with a reason and an expiry date.
// An expired waiver is an error of its own, so an accepted risk is looked at again rather than forgotten.
import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../deploy/config/errors.js';
import { formatPath, lineOfPath } from '../deploy/config/yaml-locate.js';

const waiverSchema = z.strictObject({
  rule: z.string().min(1),
  /** The finding's resource exactly as reported, e.g. `client "Banking Partner"`. */
  resource: z.string().min(1),
  /** Environments it applies to; all when absent. */
  env: z.array(z.string().min(1)).optional(),
  reason: z.string().min(10, 'say why the risk is accepted (at least 10 characters)'),
  expires: z.iso.date('expires must be a date like 2027-06-30'),
});

const fileSchema = z.strictObject({ waivers: z.array(waiverSchema).default([]) });

export type Waiver = z.infer<typeof waiverSchema> & { file: string; line?: number };

export function loadWaivers(path: string, displayName = path): Waiver[] {
  if (!existsSync(path)) return [];
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), {
    lineCounter: lines,
    prettyErrors: false,
  });
  if (doc.errors.length > 0)
    throw new ConfigError([
      { file: displayName, message: `YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}` },
    ]);
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems: ConfigProblem[] = parsed.error.issues.map((issue) => {
      const path = issue.path.filter(
        (segment): segment is string | number => typeof segment !== 'symbol',
      );
      return {
        file: displayName,
        line: lineOfPath(doc, lines, path),
        path: formatPath(path),
        message: issue.message,
      };
    });
    throw new ConfigError(problems);
  }
  return parsed.data.waivers.map((waiver, index) => ({
    ...waiver,
    file: displayName,
    line: lineOfPath(doc, lines, ['waivers', index]),
  }));
}

export function waiverApplies(waiver: Waiver, env: string): boolean {
  return waiver.env === undefined || waiver.env.includes(env);
}

/** Dates compare as UTC days: a waiver expiring 2027-06-30 holds through that day. */
export function isExpired(waiver: Waiver, today: Date): boolean {
  return waiver.expires < today.toISOString().slice(0, 10);
}
