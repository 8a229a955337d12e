/**
 * Adds up test results for .ci/run and prints `N passed, N failed` as its last line.
 *
 *   node --import tsx scripts/count-results.ts vitest:.ci-out/a.json playwright:.ci-out/b.json --failed-steps=1
 *
 * A report that is missing or unreadable counts as 1 failed; so does a report that says the run failed
 * without naming a failed test (a test file that did not load, a web server that did not start).
 * --failed-steps adds steps that have no report of their own (typecheck, lint).
 */
import { readFileSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
  note?: string;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  success?: boolean;
  testResults?: { name?: string; status?: string; message?: string; assertionResults?: { status?: string }[] }[];
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: { message?: string }[];
}

function countVitest(report: VitestReport): Tally {
  if (typeof report.numPassedTests !== 'number' || typeof report.numFailedTests !== 'number') {
    throw new Error('not a vitest json report');
  }
  let failed = report.numFailedTests;
  // A test file that failed to load or whose hooks threw has no failed test of its own: count it once.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  );
  failed += brokenFiles.length;
  if (report.success === false && failed === 0) failed = 1;
  const note = brokenFiles.length ? `${brokenFiles.length} test file(s) failed outside any test` : undefined;
  return { passed: report.numPassedTests, failed, note };
}

function countPlaywright(report: PlaywrightReport): Tally {
  const { stats } = report;
  if (!stats || typeof stats.expected !== 'number') throw new Error('not a Playwright json report');
  // A flaky test failed once and then passed on its retry: it passed.
  let failed = stats.unexpected;
  const errors = report.errors?.length ?? 0;
  if (errors > 0 && failed === 0) failed = 1;
  const note = errors ? `${errors} error(s) outside tests: ${report.errors?.[0]?.message?.split('\n')[0]}` : undefined;
  return { passed: stats.expected + stats.flaky, failed, note };
}

let passed = 0;
let failed = 0;

for (const arg of process.argv.slice(2)) {
  const steps = /^--failed-steps=(\d+)$/.exec(arg);
  if (steps) {
    failed += Number(steps[1]);
    continue;
  }
  const match = /^(vitest|playwright):(.+)$/.exec(arg);
  if (!match) {
    console.error(`count-results: cannot read argument "${arg}" (expected vitest:FILE, playwright:FILE).`);
    failed += 1;
    continue;
  }
  const [, kind, file] = match as unknown as [string, 'vitest' | 'playwright', string];
  let tally: Tally;
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    tally = kind === 'vitest' ? countVitest(report) : countPlaywright(report);
  } catch (error) {
    tally = { passed: 0, failed: 1, note: `unreadable: ${(error as Error).message.split('\n')[0]}` };
  }
  console.log(`  ${file}: ${tally.passed} passed, ${tally.failed} failed${tally.note ? ` (${tally.note})` : ''}`);
  passed += tally.passed;
  failed += tally.failed;
}

console.log(`${passed} passed, ${failed} failed`);
