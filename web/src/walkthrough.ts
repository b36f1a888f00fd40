// The second view: the step-up scenario of the docs as six buttons, each judged (✓/✗) by the same rules the
// demo uses (lib/banking-scenario.ts). Step results survive the login redirects in sessionStorage.
import * as z from 'zod/mini';
import {
  SCENARIO_STEPS,
  callBankingApi,
  judgeLogin,
  type StepId,
  type StepResult,
} from '../../lib/banking-scenario.js';
import type { WebConfig } from '../config-schema.js';
import { cell, element, showMessage } from './dom.js';

const RESULTS_KEY = 'banking-demo-results';
// The results this page wrote to session storage, checked when read back.
const stepResultsSchema = z.array(
  z.object({
    id: z.enum(SCENARIO_STEPS.map((step) => step.id)),
    title: z.string(),
    request: z.string(),
    status: z.union([z.number(), z.literal('token')]),
    expectation: z.string(),
    passed: z.boolean(),
    decidingClaim: z.string(),
    detail: z.optional(z.string()),
  }),
);
const tokens: { login?: string; stepUp?: string } = {};

function loadResults(): StepResult[] {
  try {
    const parsed = stepResultsSchema.safeParse(
      JSON.parse(sessionStorage.getItem(RESULTS_KEY) ?? '[]'),
    );
    const results: StepResult[] = parsed.success ? parsed.data : [];
    return results;
  } catch {
    return [];
  }
}

function record(result: StepResult): void {
  const results = loadResults().filter((existing) => existing.id !== result.id);
  results.push(result);
  const order = SCENARIO_STEPS.map((step) => step.id);
  results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  sessionStorage.setItem(RESULTS_KEY, JSON.stringify(results));
  renderWalkthrough();
}

export function renderWalkthrough(): void {
  const body = element('results', HTMLTableElement).tBodies[0]!;
  body.replaceChildren(
    ...loadResults().map((result) => {
      const row = document.createElement('tr');
      row.dataset['step'] = result.id;
      row.dataset['outcome'] = result.passed ? 'pass' : 'fail';
      row.append(
        cell('step', result.title),
        cell('request', result.request),
        cell('status', String(result.status)),
        cell('claim', result.decidingClaim, result.detail),
        cell('expected', result.expectation),
      );
      return row;
    }),
  );
}

/** A login of the walkthrough came back: keep its token and judge it. */
export function walkthroughLoggedIn(
  step: 'login' | 'step-up',
  request: string,
  accessToken: string,
): void {
  if (step === 'login') tokens.login = accessToken;
  else tokens.stepUp = accessToken;
  record(judgeLogin(step, request, accessToken));
}

async function callApi(config: WebConfig, id: StepId, token: string | undefined): Promise<void> {
  if (!token) {
    showMessage(id === 'transfer' || id === 'replay' ? 'Step up first.' : 'Log in first.');
    return;
  }
  record(await callBankingApi(config.apiUrl, id, token));
}

export function walkthroughActions(config: WebConfig) {
  return {
    balance: () => callApi(config, 'balance', tokens.stepUp ?? tokens.login),
    transferWithoutStepUp: () => callApi(config, 'transfer-without-step-up', tokens.login),
    transfer: () => callApi(config, 'transfer', tokens.stepUp),
    replay: () => callApi(config, 'replay', tokens.stepUp),
    reset: async () => {
      sessionStorage.removeItem(RESULTS_KEY);
      delete tokens.login;
      delete tokens.stepUp;
      renderWalkthrough();
    },
  };
}
