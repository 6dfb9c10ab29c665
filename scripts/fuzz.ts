import { fuzzRoutes } from '../test/support/fuzz.js';

// 100,000 cases a route by default; FCV_FUZZ_CASES sets another number.
const perRoute = Number(process.env.FCV_FUZZ_CASES ?? 100_000);
const started = performance.now();
const reports = await fuzzRoutes(perRoute);
let cases = 0;
let failures = 0;
for (const report of reports) {
  cases += report.cases;
  failures += report.failures;
  process.stdout.write(
    `${report.route.padEnd(44)} ${String(report.cases).padStart(7)} cases ${String(report.failures).padStart(5)} failures\n`,
  );
  for (const example of report.examples) process.stdout.write(`    ${example}\n`);
}
process.stdout.write(`\nfuzz: ${cases} cases, ${failures} failures in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
process.exitCode = failures === 0 ? 0 : 1;
