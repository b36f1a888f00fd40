// vitest reporter: after the run, the 10 test files that took longest (import + hooks + tests), so whoever makes
// `npm test` slower sees where the time went. Used next to the default reporter (vitest.config.ts).
import type { Reporter, TestModule } from 'vitest/node';

const shown = 10;

function seconds(module: TestModule): number {
  const { collectDuration, setupDuration, duration } = module.diagnostic();
  return (collectDuration + setupDuration + duration) / 1000;
}

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (modules.length === 0) return;
    const slowest = [...modules].sort((a, b) => seconds(b) - seconds(a)).slice(0, shown);
    const width = Math.max(...slowest.map((module) => module.relativeModuleId.length));
    const lines = slowest.map(
      (module) =>
        `  ${module.relativeModuleId.padEnd(width)}  ${seconds(module).toFixed(1).padStart(6)} s`,
    );
    process.stdout.write(
      `\nSlowest ${slowest.length} of ${modules.length} test files:\n${lines.join('\n')}\n`,
    );
  }
}
