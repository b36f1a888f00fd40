// Where releases live: the deploy client's client_metadata, next to the checkpoint, so any machine with the tenant's
// credentials reads them (CI keeps no disk between runs). Auth0 allows at most 10 client_metadata properties with
// string values of at most 255 characters (https://auth0.com/docs/get-started/applications/configure-application-metadata).
// Records are packed newest first into at most `maxReleaseKeys` values; the oldest that no longer fit are dropped.
import { checkpointMetadataKey } from '../plan/checkpoint.js';
import { decodeRelease, encodeRelease, type Release } from './record.js';

export const releaseKeyPrefix = 'tenant_as_code_releases_v1_';
/** With the checkpoint: 6 of Auth0's 10 properties at most, 4 left for other metadata on the deploy client. */
export const maxReleaseKeys = 5;
export const metadataValueLimit = 255;
export const metadataPropertyLimit = 10;
const separator = '|';

export function isReleaseKey(key: string): boolean {
  return key.startsWith(releaseKeyPrefix);
}

/** Every release recorded on the deploy client, newest first. */
export function readReleases(metadata: Readonly<Record<string, unknown>>): Release[] {
  const byNumber = new Map<number, Release>();
  for (const [key, value] of Object.entries(metadata)) {
    if (!isReleaseKey(key) || typeof value !== 'string') continue;
    for (const text of value.split(separator)) {
      const release = decodeRelease(text);
      if (release && !byNumber.has(release.number)) byNumber.set(release.number, release);
    }
  }
  return [...byNumber.values()].sort((a, b) => b.number - a.number);
}

export interface ReleaseWrite {
  /** The release keys to send (every one of ours, so a PATCH that replaces or merges both end up right). */
  entries: Record<string, string>;
  kept: number;
  /** Set when fewer releases than the history had (plus the new one) fit. */
  dropped: number;
}

/**
 * The metadata entries holding `releases` (newest first), within Auth0's limits. Undefined when not even one
 * property is free for them (other metadata holds them all).
 */
export function packReleases(
  metadata: Readonly<Record<string, unknown>>,
  releases: readonly Release[],
): ReleaseWrite | undefined {
  const ours = Object.keys(metadata).filter(isReleaseKey);
  const others = Object.keys(metadata).filter(
    (key) => !isReleaseKey(key) && key !== checkpointMetadataKey,
  ).length;
  // The checkpoint's property is counted whether it exists yet or not.
  const available = Math.min(maxReleaseKeys, metadataPropertyLimit - others - 1);
  if (available < 1) return undefined;
  const values: string[] = [];
  let kept = 0;
  for (const release of releases) {
    const text = encodeRelease(release);
    const last = values.at(-1);
    if (last !== undefined && last.length + separator.length + text.length <= metadataValueLimit)
      values[values.length - 1] = `${last}${separator}${text}`;
    else if (values.length < available) values.push(text);
    else break;
    kept++;
  }
  const entries: Record<string, string> = {};
  // Keys used before keep a value (an empty one; UNCONFIRMED that Auth0 keeps an empty string rather than refusing
  // it, the most plausible reading of "string values") so a merging PATCH cannot leave stale records behind.
  const count = Math.max(values.length, Math.min(ours.length, available));
  for (let index = 0; index < count; index++)
    entries[`${releaseKeyPrefix}${index + 1}`] = values[index] ?? '';
  return { entries, kept, dropped: releases.length - kept };
}

export function nextReleaseNumber(releases: readonly Release[]): number {
  return (releases[0]?.number ?? 0) + 1;
}
