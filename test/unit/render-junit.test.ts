import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/render-junit.js';
import { findingsAgentReport, healthyReport, probeNoJobReport, skipsAndErrorReport } from './fixtures/reports.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', htmlEntities: true, isArray: (name) => ['testcase', 'property'].includes(name) });

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  return { suites: doc.testsuites, suite: doc.testsuites.testsuite, cases: doc.testsuites.testsuite.testcase as Record<string, any>[] };
}

describe('renderJunit', () => {
  it('has one testcase per check with classname from the id prefix and time in seconds', () => {
    const { suite, cases } = parse(renderJunit(healthyReport));
    expect(cases).toHaveLength(healthyReport.checks.length);
    expect(suite['@tests']).toBe(String(healthyReport.checks.length));
    expect(suite['@failures']).toBe('0');
    const join = cases.find((c) => c['@id'] === 'probe.joined')!;
    expect(join['@classname']).toBe('livekit-doctor.probe');
    expect(join['@name']).toBe('Probe joins the room');
    expect(join['@time']).toBe('0.212');
  });

  it('reports failures with message, cause and fix, and skips with the needed check', () => {
    const { suite, cases } = parse(renderJunit(probeNoJobReport));
    expect(suite['@failures']).toBe('1');
    expect(suite['@skipped']).toBe('2');
    const failed = cases.filter((c) => c.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failure['@message']).toBe('fail: No job request within 5 s');
    expect(failed[0]!.failure['@type']).toBe('dispatch-not-delivered');
    expect(failed[0]!.failure['#text']).toContain('cause: dispatch-not-delivered');
    expect(failed[0]!.failure['#text']).toContain('$ lk dispatch list livekit-doctor-m2p7');
    const skipped = cases.filter((c) => c.skipped !== undefined);
    expect(skipped.map((c) => c.skipped['@message'])).toEqual([
      'needs probe.job-received: Skipped: needs probe.job-received',
      'needs probe.job-assigned: Skipped: needs probe.job-assigned',
    ]);
  });

  it('counts an error as a failure and a warning as passed unless strict', () => {
    const relaxed = parse(renderJunit(skipsAndErrorReport));
    expect(relaxed.suite['@failures']).toBe('1');
    const warned = relaxed.cases.find((c) => c['@id'] === 'server.reachable')!;
    expect(warned.failure).toBeUndefined();
    expect(warned['system-out']).toContain('warning: Reachable, but 480 ms round trip');
    const errored = relaxed.cases.find((c) => c['@id'] === 'server.credentials')!;
    expect(errored.failure['@type']).toBe('error');

    const strict = parse(renderJunit(skipsAndErrorReport, { strict: true }));
    expect(strict.suite['@failures']).toBe('2');
    expect(strict.cases.find((c) => c['@id'] === 'server.reachable')!.failure['@message']).toBe('warn: Reachable, but 480 ms round trip');
  });

  it('carries server url, version and tool version as properties', () => {
    const { suite } = parse(renderJunit(findingsAgentReport));
    const props = Object.fromEntries((suite.properties.property as Record<string, string>[]).map((p) => [p['@name'], p['@value']]));
    expect(props).toMatchObject({ 'server.url': 'ws://127.0.0.1:7880', 'server.version': '1.13.5', 'tool.version': '0.1.0', 'agent.name': 'my-agent' });
  });

  it('escapes markup, quotes and control characters so the XML stays valid', () => {
    const report = structuredClone(probeNoJobReport);
    const nasty = `a<b>&"c"'d'\u0001\ttab\nline ]]> </failure>`;
    report.checks[5]!.summary = nasty;
    report.checks[5]!.title = nasty;
    report.checks[5]!.fix!.text = nasty;
    const { cases } = parse(renderJunit(report));
    const failed = cases.find((c) => c.failure)!;
    expect(failed['@name']).toBe(`a<b>&"c"'d'\ttab\nline ]]> </failure>`);
    expect(failed.failure['@message']).toBe(`fail: a<b>&"c"'d'\ttab\nline ]]> </failure>`);
    expect(failed.failure['#text']).toContain('fix: a<b>&"c"');
  });
});
