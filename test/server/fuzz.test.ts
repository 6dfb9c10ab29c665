import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzRoutes } from '../support/fuzz.js';

const CASES = Number(process.env.FCV_FUZZ_CASES ?? 2000);

test(`${CASES} arbitrary requests per route: no 5xx, no crash, every error a problem with a known code`, async () => {
  const reports = await fuzzRoutes(CASES);
  assert.equal(reports.length, 9);
  for (const report of reports) {
    assert.equal(report.cases, CASES, report.route);
    assert.equal(report.failures, 0, `${report.route}:\n${report.examples.join('\n')}`);
  }
});
