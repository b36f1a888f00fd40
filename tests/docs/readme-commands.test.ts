// Every `npm run X` a README tells a newcomer to type must exist (and its files too), and every relative link
// must point at a file in the repository.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  matchingScripts,
  npmRunScriptNames,
  packageScripts,
  repoFileExists,
  repoRoot,
  scriptFileArguments,
} from '../workflows/workflow-files.js';

const READMES = [
  'README.md',
  'actions/README.md',
  'deploy/README.md',
  'local-tenant/README.md',
  'local-tenant/AUTH.md',
  'banking-api/README.md',
  'web/README.md',
  'docs/asp.md',
  'docs/partners.md',
].filter((path) => existsSync(join(repoRoot, path)));

describe.each(READMES)('%s', (readme) => {
  const text = readFileSync(join(repoRoot, readme), 'utf8');

  it('only mentions npm scripts that exist, whose files exist', () => {
    const scripts = packageScripts();
    for (const name of new Set(npmRunScriptNames(text))) {
      const matches = matchingScripts(scripts, name);
      expect(matches, `${readme}: npm run ${name} is not in package.json`).not.toEqual([]);
      for (const script of matches) {
        for (const path of scriptFileArguments(scripts[script] ?? ''))
          expect(repoFileExists(path), `${script} runs ${path}`).toBe(true);
      }
    }
  });

  it('links only to files that exist', () => {
    for (const [, target] of text.matchAll(/\]\((?!https?:|#)([^)#\s]+)[^)]*\)/g)) {
      expect(
        existsSync(join(repoRoot, dirname(readme), target ?? '')),
        `${readme} links to ${target}`,
      ).toBe(true);
    }
  });
});
