// What makes an Action deploy only when it really changed: the code hash is computed from the code the tenant
// holds (so a hand edit in the dashboard shows up), and a first-line marker records ownership plus a hash of the
// secret values (write-only in Auth0, so they cannot be compared any other way).
import { createHash } from 'node:crypto';
import { z } from 'zod';

const markerPrefix = '// tenant-as-code ';

const markerSchema = z.object({
  managedBy: z.literal('tenant-as-code'),
  /** sha256 of the secret names and values the last deploy sent. */
  secrets: z.string(),
});
export type ActionMarker = z.infer<typeof markerSchema>;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function withMarker(code: string, marker: ActionMarker): string {
  return `${markerPrefix}${JSON.stringify(marker)}\n${code}`;
}

export function splitMarker(liveCode: string): { marker?: ActionMarker; code: string } {
  if (!liveCode.startsWith(markerPrefix)) return { code: liveCode };
  const newline = liveCode.indexOf('\n');
  const line = liveCode.slice(markerPrefix.length, newline === -1 ? undefined : newline);
  const code = newline === -1 ? '' : liveCode.slice(newline + 1);
  // A line that merely looks like our marker is treated as code: not ours.
  const parsed = markerSchema.safeParse(parseJson(line));
  return parsed.success ? { marker: parsed.data, code } : { code: liveCode };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function secretsHash(secrets: { name: string; value: string }[]): string {
  const sorted = [...secrets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, value }) => [name, value]);
  return `sha256:${sha256(JSON.stringify(sorted))}`;
}
