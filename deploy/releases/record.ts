// A release: what one verified deploy (or rollback) put on the tenant — when, from which commit, the desired-state
// hash, the plan's counts and the deployed version of every managed Action. Stored on the tenant itself (see
// store.ts), so it is compact: one line of about 80 characters for this repository's two Actions.
import { createHash } from 'node:crypto';

const releaseKinds = ['deploy', 'rollback', 'actions-only'] as const;
export type ReleaseKind = (typeof releaseKinds)[number];

export interface Release {
  number: number;
  /** Whole seconds, ISO 8601. */
  at: string;
  env: string;
  /** 40 hex digits; undefined when the deploy ran outside a git checkout. */
  commit?: string;
  /** The working tree had uncommitted changes: the commit alone does not reproduce the release. */
  dirty: boolean;
  /** Prefix of the desired-state hash (the checkpoint's HMAC); undefined for an Actions-only rollback. */
  stateHash?: string;
  summary: { create: number; update: number; delete: number; heldBack: number };
  /** Deployed version number per Action, by a short tag of the Action's name (see actionTag). */
  actions: { tag: string; version: number }[];
  kind: ReleaseKind;
  /** For rollbacks: the release rolled back to. */
  rollbackTo?: number;
}

export const stateHashLength = 10;

/** 4 base64url characters of the name's SHA-256: names are long, and are known wherever a record is read. */
export function actionTag(name: string): string {
  return createHash('sha256').update(name).digest('base64url').slice(0, 4);
}

const kindCodes: Record<ReleaseKind, string> = { deploy: 'D', rollback: 'R', 'actions-only': 'A' };

/**
 * `<n> <time base36> <env> <commit base64url>[*] <hash|-> <c>.<u>.<d>.<held> <tag>:<version>,… <kind>[<to>]`,
 * e.g. `7 t3k9zq local 8gXw…Ak* Qm3x_pK2aZ 0.2.0.0 Ab3d:4,x_Z9:2 D`.
 */
export function encodeRelease(release: Release): string {
  const { summary } = release;
  return [
    String(release.number),
    Math.floor(Date.parse(release.at) / 1000).toString(36),
    release.env,
    (release.commit ? Buffer.from(release.commit, 'hex').toString('base64url') : '-') +
      (release.dirty ? '*' : ''),
    release.stateHash ?? '-',
    [summary.create, summary.update, summary.delete, summary.heldBack].join('.'),
    release.actions.map(({ tag, version }) => `${tag}:${version}`).join(',') || '-',
    kindCodes[release.kind] + (release.rollbackTo ?? ''),
  ].join(' ');
}

const recordPattern =
  /^(\d{1,9}) ([0-9a-z]{1,8}) ([A-Za-z0-9_-]{1,32}) ([A-Za-z0-9_-]{27}|-)(\*?) ([A-Za-z0-9_-]{1,43}|-) (\d+)\.(\d+)\.(\d+)\.(\d+) ((?:[A-Za-z0-9_-]{4}:\d+,?)+|-) ([DRA])(\d*)$/;

/** Undefined for anything that is not a record this version wrote (a newer format, a hand edit). */
export function decodeRelease(text: string): Release | undefined {
  const match = recordPattern.exec(text.trim());
  if (!match) return undefined;
  const [, number, time, env, commit, dirty, hash, c, u, d, held, actions, kind, to] = match;
  const kindName = releaseKinds.find((k) => kindCodes[k] === kind);
  if (!number || !time || !env || !commit || !hash || !actions || !kindName) return undefined;
  return {
    number: Number(number),
    at: new Date(parseInt(time, 36) * 1000).toISOString(),
    env,
    ...(commit === '-' ? {} : { commit: Buffer.from(commit, 'base64url').toString('hex') }),
    dirty: dirty === '*',
    ...(hash === '-' ? {} : { stateHash: hash }),
    summary: { create: Number(c), update: Number(u), delete: Number(d), heldBack: Number(held) },
    actions:
      actions === '-'
        ? []
        : actions.split(',').flatMap((pair) => {
            const [tag, version] = pair.split(':');
            return tag && version ? [{ tag, version: Number(version) }] : [];
          }),
    kind: kindName,
    ...(to ? { rollbackTo: Number(to) } : {}),
  };
}

/** The recorded version of the Action called `name`, if the release has one. */
export function recordedVersion(release: Release, name: string): number | undefined {
  const tag = actionTag(name);
  return release.actions.find((action) => action.tag === tag)?.version;
}

/** Whether the release recorded this desired-state hash (records keep a prefix of it). */
export function sameState(release: Release, fullHash: string | undefined): boolean {
  return Boolean(release.stateHash && fullHash && fullHash.startsWith(release.stateHash));
}

export function describeSummary(summary: Release['summary']): string {
  const parts = [
    `${summary.create} created`,
    `${summary.update} updated`,
    `${summary.delete} deleted`,
  ];
  if (summary.heldBack > 0) parts.push(`${summary.heldBack} deletion(s) held back`);
  return parts.join(', ');
}
