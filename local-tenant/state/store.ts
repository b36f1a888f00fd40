// The tenant's state: one in-memory document, persisted atomically to <stateDir>/state.json after each change.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { emptyState } from './defaults.js';
import type { LogEventRecord, TenantState } from './types.js';

export interface TenantStoreOptions {
  stateDir: string;
  /** false: in-memory only (tests); nothing is read from or written to disk. */
  persist: boolean;
  reset: boolean;
}

export class TenantStore {
  readonly statePath: string;
  private state: TenantState;

  constructor(private readonly options: TenantStoreOptions) {
    this.statePath = join(options.stateDir, 'state.json');
    if (options.persist && options.reset) rmSync(this.statePath, { force: true });
    this.state = options.persist && existsSync(this.statePath) ? this.load() : emptyState();
  }

  private load(): TenantState {
    const text = readFileSync(this.statePath, 'utf8');
    let parsed: Partial<TenantState>;
    try {
      // cast: the file only this store writes; missing collections are filled in below.
      parsed = JSON.parse(text) as Partial<TenantState>;
    } catch (error) {
      throw new Error(
        `Local tenant state file ${this.statePath} is not valid JSON (${String(error)}); start with --reset to wipe it`,
      );
    }
    // Fill collections added after the file was written, so older state files keep working.
    return { ...emptyState(), ...parsed, version: 1 };
  }

  /** Read-only view of the current state. Do not mutate it outside `mutate`. */
  get snapshot(): Readonly<TenantState> {
    return this.state;
  }

  /**
   * Appends a tenant log event, keeping only the newest `retention`. Runs in place (no copy of the whole state per
   * request): a push and a trim cannot half-fail, and the log must not cost every write a clone of 10,000 events.
   */
  appendLog(build: (sequence: number) => LogEventRecord, retention: number): LogEventRecord {
    const record = build(this.state.log_sequence + 1);
    this.state.log_sequence += 1;
    this.state.logs.push(record);
    if (this.state.logs.length > retention)
      this.state.logs.splice(0, this.state.logs.length - retention);
    if (this.options.persist)
      writeFileAtomic(this.statePath, JSON.stringify(this.state, null, 2), 0o600);
    return record;
  }

  /**
   * Applies a change and persists it. The change runs on a copy: if it throws, the state and the file are
   * untouched, so a failed request never leaves a half-applied change behind.
   */
  mutate<T>(change: (state: TenantState) => T): T {
    const draft = structuredClone(this.state);
    const result = change(draft);
    if (this.options.persist)
      writeFileAtomic(this.statePath, JSON.stringify(draft, null, 2), 0o600);
    this.state = draft;
    return result;
  }
}
