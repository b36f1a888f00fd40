// One descriptor per trigger (its handler name, an event builder, an api recorder) and the generic helpers that
// run any Action with it, as TypeScript source or as the bundle the tenant runs. Adding a trigger to the kit is
// adding one file under triggers/; nothing here names a trigger.
import { isRecord } from '../../lib/guards.js';
import { ACTION_TRIGGERS, type ActionTriggerId } from '../runtime/triggers.js';
import { loadActionHandler, type LoadBundleOptions } from './load-bundle.js';

export type ActionHandler<Event, Api> = (event: Event, api: Api) => Promise<void>;

/** Per top-level event field: a partial object shallow-merged over the default; `undefined` removes the field. */
export type EventOverrides<Event> = { [K in keyof Event]?: Partial<Event[K]> | undefined };

export interface TriggerKit<Event, Api, Recorder extends { api: Api }> {
  trigger: ActionTriggerId;
  /** The export Auth0 calls, e.g. `onExecutePreUserRegistration`. */
  handlerName: string;
  buildEvent(overrides?: EventOverrides<Event>): Event;
  createRecorder(): Recorder;
}

export function defineTriggerKit<Event, Api, Recorder extends { api: Api }>(
  trigger: ActionTriggerId,
  parts: Pick<TriggerKit<Event, Api, Recorder>, 'buildEvent' | 'createRecorder'>,
): TriggerKit<Event, Api, Recorder> {
  return { trigger, handlerName: ACTION_TRIGGERS[trigger].handler, ...parts };
}

/** Shallow-merges overrides per top-level field over `defaults` (a fresh object each call). */
export function mergeEvent<Event extends object>(
  defaults: Event,
  overrides: EventOverrides<Event> = {},
): Event {
  const event = new Map<string, unknown>(Object.entries(defaults));
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) event.delete(key);
    else if (!isRecord(value)) event.set(key, value);
    else {
      const current = event.get(key);
      event.set(key, { ...(isRecord(current) ? current : {}), ...value });
    }
  }
  // cast: the defaults are an Event and EventOverrides only replaces or merges its fields with their own types.
  return Object.fromEntries(event) as Event;
}

/** The kit's handler from a bundle, loaded the way Auth0 loads it (fresh node:vm context). */
export function loadTriggerAction<Event, Api, Recorder extends { api: Api }>(
  kit: TriggerKit<Event, Api, Recorder>,
  code: string,
  options: LoadBundleOptions = {},
): ActionHandler<Event, Api> {
  return loadActionHandler<ActionHandler<Event, Api>>(code, kit.handlerName, options);
}

/** Runs one Action once on a copy of `event` (Auth0 serialises the event) and returns what it asked for. */
export async function runAction<Event, Api, Recorder extends { api: Api }>(
  kit: TriggerKit<Event, Api, Recorder>,
  handler: ActionHandler<Event, Api>,
  event: Event = kit.buildEvent(),
): Promise<Recorder> {
  const recorder = kit.createRecorder();
  await handler(structuredClone(event), recorder.api);
  return recorder;
}
