#!/usr/bin/env node
// Runs the whole vitest suite and ends with one plain summary line ("tests: N passed, N failed,
// N skipped") that CI systems can read, keeping vitest's own exit code.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';

const resultsFile = path.join(os.tmpdir(), `gridctl-vitest-${process.pid}.json`);
const vitest = path.resolve('node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
let summary = 'tests: 0 passed, 0 failed';
try {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`;
  rmSync(resultsFile, { force: true });
} catch {
  summary = 'tests: 0 passed, 1 failed';
}
console.log(summary);
process.exit(run.status ?? 1);
