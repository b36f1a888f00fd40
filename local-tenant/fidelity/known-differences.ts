// The one list of recorded interactions the local tenant deliberately answers differently, each with its
// reason. An entry names a cassette and, optionally, the interaction ids it covers (none = all of them).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { InteractionOutcome } from './replay.js';

const entrySchema = z.strictObject({
  cassette: z.string().min(1),
  interactions: z.array(z.number().int().min(0)).min(1).optional(),
  reason: z.string().min(10),
  /**
   * A newer recording of the same request that the local tenant's answer matches: Auth0 has changed since this
   * one was recorded, so the difference is with an older Auth0, not with today's.
   */
  superseded_by: z.string().min(1).optional(),
});
const listSchema = z.array(entrySchema);
export type KnownDifference = z.infer<typeof entrySchema>;

export function loadKnownDifferences(path: string): KnownDifference[] {
  const parsed = listSchema.safeParse(parse(readFileSync(path, 'utf8')) ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: entry ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

export function findKnownDifference(
  list: readonly KnownDifference[],
  outcome: Pick<InteractionOutcome, 'cassette' | 'index'>,
): KnownDifference | undefined {
  return list.find(
    (entry) =>
      entry.cassette === outcome.cassette &&
      (!entry.interactions || entry.interactions.includes(outcome.index)),
  );
}
