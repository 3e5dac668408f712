import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/render-json.js';
import { REPORT_SCHEMA, type Report } from '../../src/core/model.js';
import { findingsAgentReport, healthyReport } from './fixtures/reports.js';

describe('renderJson', () => {
  it('round-trips the report with the schema first and 2-space indent', () => {
    const text = renderJson(findingsAgentReport);
    expect(text.startsWith(`{\n  "schema": "${REPORT_SCHEMA}",\n  "tool": {`)).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(findingsAgentReport)));
  });

  it('has the same key order however the objects were built', () => {
    const shuffled = Object.fromEntries(Object.entries(healthyReport).reverse()) as unknown as Report;
    shuffled.checks = healthyReport.checks.map((c) => Object.fromEntries(Object.entries(c).reverse()) as unknown as Report['checks'][number]);
    expect(renderJson(shuffled)).toBe(renderJson(healthyReport));
    const check = JSON.parse(renderJson(healthyReport)).checks[0];
    expect(Object.keys(check).slice(0, 4)).toEqual(['id', 'title', 'status', 'summary']);
  });

  it('writes bigints as strings', () => {
    const report = structuredClone(healthyReport);
    report.checks[0]!.evidence = { creationTime: 1741944413000n, nested: { n: 7n } };
    const parsed = JSON.parse(renderJson(report));
    expect(parsed.checks[0].evidence).toEqual({ creationTime: '1741944413000', nested: { n: '7' } });
  });
});
