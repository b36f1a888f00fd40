// The release record and its storage within Auth0's client_metadata limits (10 properties, 255-character values).
import { describe, expect, it } from 'vitest';
import { checkpointMetadataKey } from '../../deploy/plan/checkpoint.js';
import {
  actionTag,
  decodeRelease,
  encodeRelease,
  type Release,
} from '../../deploy/releases/record.js';
import {
  maxReleaseKeys,
  metadataValueLimit,
  packReleases,
  readReleases,
} from '../../deploy/releases/store.js';

function release(number: number, actions = 2, extra: Partial<Release> = {}): Release {
  return {
    number,
    at: '2026-12-02T00:10:11.000Z',
    env: 'staging',
    commit: 'f132cda0bfc6b28df64c746721bb3b67b0cf7e87',
    dirty: false,
    stateHash: 'Qm3x_pK2aZ',
    summary: { create: 1, update: 12, delete: 0, heldBack: 2 },
    actions: Array.from({ length: actions }, (_, i) => ({
      tag: actionTag(`action-${i}`),
      version: 17 + i,
    })),
    kind: 'deploy',
    ...extra,
  };
}

describe('release record', () => {
  it('round-trips every field, in one line of about 80 characters for two Actions', () => {
    for (const original of [
      release(7),
      release(8, 0, { commit: undefined, dirty: true, kind: 'rollback', rollbackTo: 3 }),
      release(9, 1, { stateHash: undefined, kind: 'actions-only', rollbackTo: 8 }),
    ]) {
      const text = encodeRelease(original);
      expect(text).not.toMatch(/[|\n]/);
      const { commit, ...rest } = original;
      expect(decodeRelease(text)).toEqual(commit ? original : rest);
    }
    expect(encodeRelease(release(7)).length).toBeLessThanOrEqual(84);
  });

  it('reads nothing from text it did not write', () => {
    for (const text of ['', 'v1 h=abc', '7 zz staging - - 0.0.0.0 - X', 'hello world'])
      expect(decodeRelease(text)).toBeUndefined();
  });
});

describe('release storage in client_metadata', () => {
  const history = Array.from({ length: 30 }, (_, i) => release(30 - i));

  it('keeps 15 releases of two Actions in 5 properties of at most 255 characters, newest first', () => {
    const write = packReleases({ [checkpointMetadataKey]: 'v1 …', owner: 'platform' }, history);
    expect(write).toBeDefined();
    const values = Object.values(write?.entries ?? {});
    expect(values).toHaveLength(maxReleaseKeys);
    for (const value of values) expect(value.length).toBeLessThanOrEqual(metadataValueLimit);
    const read = readReleases(write?.entries ?? {});
    expect(read.map((r) => r.number)).toEqual(history.slice(0, 15).map((r) => r.number));
    expect(write).toMatchObject({ kept: 15, dropped: 15 });
  });

  it('still keeps 10 releases when a record is twice as long (five Actions)', () => {
    const long = Array.from({ length: 12 }, (_, i) => release(12 - i, 5));
    expect(encodeRelease(long[0] as Release).length).toBeLessThanOrEqual(126);
    expect(packReleases({}, long)?.kept).toBe(10);
  });

  it('never takes more than the properties other metadata leaves free (10 in all, the checkpoint counted)', () => {
    const others = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`other_${i}`, 'x']));
    const write = packReleases(others, history);
    expect(Object.keys(write?.entries ?? {})).toHaveLength(2);
    const full = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`other_${i}`, 'x']));
    expect(packReleases(full, history)).toBeUndefined();
  });

  it('rewrites every property it used before, so a merging PATCH leaves no stale record', () => {
    const before = packReleases({}, history)?.entries ?? {};
    const after = packReleases(before, [release(31)])?.entries ?? {};
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(readReleases(after).map((r) => r.number)).toEqual([31]);
  });
});
