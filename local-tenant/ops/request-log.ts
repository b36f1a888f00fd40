// Every request the tenant answers: kept in memory for tests and appended as JSON lines to
// <stateDir>/requests.jsonl so users can `tail -f` it. Never records bodies, so no secret can leak into it.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Client that made the call (token's azp / authenticated client), when known. */
  clientId?: string;
}

export interface RequestLogSummary {
  total: number;
  reads: number;
  writes: number;
  byStatus: Record<string, number>;
}

const maxEntriesInMemory = 10_000;
/** The JSON-lines file rolls over to `<file>.1` past this size, so a long-running tenant cannot fill the disk. */
const maxFileBytes = 10 * 1024 * 1024;

export class RequestLog {
  private readonly items: RequestLogEntry[] = [];
  private writesSinceSizeCheck = 0;

  /** @param filePath JSON-lines file to append to, or undefined for memory only. */
  constructor(readonly filePath?: string) {
    if (filePath) mkdirSync(dirname(filePath), { recursive: true });
  }

  record(entry: RequestLogEntry): void {
    this.items.push(entry);
    if (this.items.length > maxEntriesInMemory)
      this.items.splice(0, this.items.length - maxEntriesInMemory);
    if (this.filePath) {
      try {
        if (++this.writesSinceSizeCheck >= 1000) {
          this.writesSinceSizeCheck = 0;
          if ((statSync(this.filePath, { throwIfNoEntry: false })?.size ?? 0) > maxFileBytes)
            renameSync(this.filePath, `${this.filePath}.1`);
        }
        appendFileSync(this.filePath, JSON.stringify(entry) + '\n');
      } catch {
        // The log is diagnostics only; a full disk must not fail the request being answered.
      }
    }
  }

  /** Entries, optionally only those whose path starts with `pathPrefix`. */
  entries(pathPrefix?: string): RequestLogEntry[] {
    return pathPrefix
      ? this.items.filter((entry) => entry.path.startsWith(pathPrefix))
      : [...this.items];
  }

  /** Counts Management API calls (under /api/v2/): GET/HEAD are reads, everything else writes. */
  summary(): RequestLogSummary {
    const summary: RequestLogSummary = { total: 0, reads: 0, writes: 0, byStatus: {} };
    for (const entry of this.items) {
      if (!entry.path.startsWith('/api/v2/')) continue;
      summary.total++;
      if (entry.method === 'GET' || entry.method === 'HEAD') summary.reads++;
      else summary.writes++;
      summary.byStatus[entry.status] = (summary.byStatus[entry.status] ?? 0) + 1;
    }
    return summary;
  }

  clear(): void {
    this.items.length = 0;
  }
}
