// Which release a rollback goes back to: --to <number> or <commit prefix>, by default the newest release whose
// desired state differs from the newest one's (the state before the last change).
import { ReleaseError } from './errors.js';
import type { Release } from './record.js';

export function chooseRelease(
  releases: readonly Release[],
  to: string | undefined,
  tenant: string,
): Release {
  const [newest] = releases;
  if (!newest)
    throw new ReleaseError(
      `no releases recorded on ${tenant} yet: every verified npm run deploy records one (npm run releases lists them)`,
    );
  if (to !== undefined) {
    const wanted = to.replace(/^#/, '');
    const found = /^\d+$/.test(wanted)
      ? releases.find((release) => release.number === Number(wanted))
      : /^[0-9a-f]{7,40}$/i.test(wanted)
        ? releases.find((release) => release.commit?.startsWith(wanted.toLowerCase()))
        : undefined;
    if (!found)
      throw new ReleaseError(
        `--to ${to}: no such release on ${tenant} (recorded: ${releases.map((r) => `#${r.number}`).join(', ')}; ` +
          'give a release number or a commit prefix)',
        2,
      );
    return found;
  }
  const previous = releases.find(
    (release) =>
      release !== newest &&
      release.kind !== 'actions-only' &&
      (release.stateHash === undefined || release.stateHash !== newest.stateHash),
  );
  if (!previous)
    throw new ReleaseError(
      `nothing to roll back to on ${tenant}: release #${newest.number} is the only recorded state`,
    );
  return previous;
}

export function shortCommit(release: Release): string {
  return release.commit
    ? release.commit.slice(0, 12) + (release.dirty ? ' (dirty)' : '')
    : '(no git)';
}
