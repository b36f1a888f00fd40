import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from '../../lib/env.js';

describe('loadDotEnv', () => {
  const keys = ['LOAD_DOTENV_A', 'LOAD_DOTENV_B'];
  afterEach(() => keys.forEach((k) => delete process.env[k]));

  it('fills unset variables and never overrides the shell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'LOAD_DOTENV_A=from-file\n# comment\nLOAD_DOTENV_B="quoted value"\n');
    process.env.LOAD_DOTENV_A = 'from-shell';
    const loaded = loadDotEnv(file);
    rmSync(dir, { recursive: true, force: true });
    expect(loaded).toEqual(['LOAD_DOTENV_B']);
    expect(process.env.LOAD_DOTENV_A).toBe('from-shell');
    expect(process.env.LOAD_DOTENV_B).toBe('quoted value');
  });

  it('is a no-op when the file is missing', () => {
    expect(loadDotEnv('/nonexistent/.env')).toEqual([]);
  });
});
