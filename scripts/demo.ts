// npm run demo: seed 001's step-up scenario, narrated, against a throwaway local tenant and banking API.
// Exit code 0 when every step behaves as described, 1 otherwise.
import { runDemo } from './demo/run-demo.js';

const report = await runDemo();
process.exitCode = report.passed ? 0 : 1;
