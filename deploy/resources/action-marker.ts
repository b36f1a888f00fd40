// What makes an Action deploy only when it really changed: the code hash is computed from the code the tenant
// holds (so a hand edit in the dashboard shows up), and a first-line marker records ownership plus a hash of the
// secret values (write-only in Auth0, so they cannot be compared any other way).
import { createHash } from 'node:crypto';

const markerPrefix = '// tenant-as-code ';

export interface ActionMarker {
  managedBy: 'tenant-as-code';
  /** sha256 of the secret names and values the last deploy sent. */
  secrets: string;
}

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
  try {
    const parsed = JSON.parse(line) as Partial<ActionMarker>;
    if (parsed.managedBy === 'tenant-as-code' && typeof parsed.secrets === 'string')
      return { marker: parsed as ActionMarker, code };
  } catch {
    // A line that merely looks like our marker is treated as code: not ours.
  }
  return { code: liveCode };
}

export function secretsHash(secrets: { name: string; value: string }[]): string {
  const sorted = [...secrets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, value }) => [name, value]);
  return `sha256:${sha256(JSON.stringify(sorted))}`;
}
