// npm run demo: the step-up scenario, narrated, against a throwaway local tenant and banking API.
// Exit code 0 when every step behaves as described, 1 otherwise.
import { parseCommandLineOrExit } from '../lib/cli-args.js';
import { runDemo } from './demo/run-demo.js';

parseCommandLineOrExit({
  command: 'npm run demo --',
  name: 'demo',
  summary:
    'Plays the step-up story, narrated, against a throwaway local tenant and banking API it starts and stops:\n' +
    'login → balance → transfer refused → step-up with MFA → transfer → replay refused. No options.',
  options: {},
  examples: ['npm run demo'],
  notes: ['Exit codes: 0 = every step behaved as described, 1 = a step deviated.'],
});

const report = await runDemo();
process.exitCode = report.passed ? 0 : 1;
