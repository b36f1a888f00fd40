// Shared set-up of the sample-Action suites: the bundles built once per file into a temp folder, a real HTTP
// server standing in for the bank's services, and `bothForms`, which yields each Action as source and as bundle.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { bundleActions, type BundledAction } from '../../../actions/bundle.js';
import {
  loadTriggerAction,
  type ActionConsole,
  type ActionHandler,
  type TriggerKit,
} from '../../../actions/testkit/index.js';

export interface Received {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface SampleFixture {
  bundle(name: string): BundledAction;
  /** URL of the stand-in service; every POST lands in `received`. */
  serviceUrl(): string;
  received: Received[];
  /** Status the service answers (default 204). */
  answerStatus: number;
}

/** Builds the bundles and starts the service in beforeAll; both go in afterAll. */
export function useSampleFixture(): SampleFixture {
  let workDir = '';
  let bundles: BundledAction[] = [];
  let server: Server | undefined;
  let url = '';
  const fixture: SampleFixture = {
    bundle(name) {
      const found = bundles.find((candidate) => candidate.name === name);
      if (!found) throw new Error(`no bundle ${name}`);
      return found;
    },
    serviceUrl: () => url,
    received: [],
    answerStatus: 204,
  };
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'actions-samples-test-'));
    bundles = await bundleActions({ outDir: workDir });
    server = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        fixture.received.push({
          authorization: request.headers.authorization,
          body: JSON.parse(text) as Record<string, unknown>,
        });
        response.writeHead(fixture.answerStatus).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  });
  afterAll(async () => {
    server?.close();
    await rm(workDir, { recursive: true, force: true });
  });
  return fixture;
}

export const silentConsole: ActionConsole = {
  log() {},
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** The source module's handler, and the same Action loaded from its bundle (for describe.each). */
export function bothForms<Event, Api, Recorder extends { api: Api }>(
  fixture: SampleFixture,
  kit: TriggerKit<Event, Api, Recorder>,
  name: string,
  source: Record<string, unknown>,
  console: ActionConsole = silentConsole,
): [string, () => ActionHandler<Event, Api>][] {
  return [
    ['source', () => source[kit.handlerName] as ActionHandler<Event, Api>],
    [
      'bundle',
      () => {
        const bundle = fixture.bundle(name);
        expect(bundle.trigger).toBe(kit.trigger);
        return loadTriggerAction(kit, bundle.code, { filename: `${name}.js`, console });
      },
    ],
  ];
}
