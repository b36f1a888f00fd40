// Auth0 builds an Action asynchronously after each create/update: pending → building → built
// (GO-REC TestActionManager_Deploy). Deploy is refused until built. Timers are cleared on close.
import type { TenantStore } from '../state/store.js';
import { deployActionDraft } from './action-versions.js';

export interface ActionBuildTimings {
  /** ms from save to "building". */
  pendingMs: number;
  /** ms from "building" to "built". */
  buildingMs: number;
}

export const defaultBuildTimings: ActionBuildTimings = { pendingMs: 10, buildingMs: 30 };

export class ActionBuilds {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: TenantStore,
    private readonly timings: ActionBuildTimings = defaultBuildTimings,
  ) {}

  /** (Re)starts the build of an action's draft; `deployWhenBuilt` for create/update with deploy: true. */
  schedule(actionId: string, deployWhenBuilt = false): void {
    clearTimeout(this.timers.get(actionId));
    const setStatus = (status: 'building' | 'built') =>
      this.store.mutate((state) => {
        const action = state.actions.find((candidate) => candidate.id === actionId);
        if (!action) return false;
        action.status = status;
        if (status === 'built') action.built_at = new Date().toISOString();
        if (status === 'built' && deployWhenBuilt) deployActionDraft(state, action);
        return true;
      });
    const toBuilding = setTimeout(() => {
      if (!setStatus('building')) return this.timers.delete(actionId);
      const toBuilt = setTimeout(() => {
        this.timers.delete(actionId);
        setStatus('built');
      }, this.timings.buildingMs);
      toBuilt.unref();
      this.timers.set(actionId, toBuilt);
    }, this.timings.pendingMs);
    toBuilding.unref();
    this.timers.set(actionId, toBuilding);
  }

  cancel(actionId: string): void {
    clearTimeout(this.timers.get(actionId));
    this.timers.delete(actionId);
  }

  /** Resumes builds interrupted by a restart. */
  resumeUnfinished(): void {
    for (const action of this.store.snapshot.actions) {
      if (action.status === 'pending' || action.status === 'building') this.schedule(action.id);
    }
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
