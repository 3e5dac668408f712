import { describe, expect, it } from 'vitest';
import { renderSupportMessage } from '../../src/report/support-message.js';
import { findingsAgentReport, probeNoJobReport, skipsAndErrorReport } from './fixtures/reports.js';

describe('renderSupportMessage', () => {
  it('carries the facts support asks for: URL, ids and UTC times', () => {
    const text = renderSupportMessage(probeNoJobReport);
    expect(text).toContain('Server URL: ws://127.0.0.1:7880');
    expect(text).toContain('Worker ids: AW_probe01');
    expect(text).toContain('Dispatch ids: AD_d2');
    expect(text).toContain('Rooms: livekit-doctor-m2p7');
    expect(text).toContain('Server version: 1.13.5 (Standard)');
    // The failed check started 43.1 ms after 09:26:53.000Z.
    expect(text).toContain('- Job request reaches the probe (fail, at 2025-03-14T09:26:53.043Z): No job request within 5 s [dispatch-not-delivered]');
    expect(text).toContain('Subject: The server never offered the job to a worker (livekit-doctor)');
  });

  it('says what the passing checks rule out', () => {
    const ruledOut = (text: string) => text.slice(text.indexOf('**What this rules out**'));
    const noJob = renderSupportMessage(probeNoJobReport);
    expect(ruledOut(noJob)).toContain('The API key and secret are valid for this URL');
    expect(ruledOut(noJob)).toContain('A worker can register');
    expect(noJob).not.toContain('Explicit dispatch works in this project');
    expect(renderSupportMessage(findingsAgentReport)).toContain('Explicit dispatch works in this project');
    expect(renderSupportMessage(findingsAgentReport)).toContain('Agent name: my-agent');
    expect(renderSupportMessage(findingsAgentReport)).toContain('Worker ids: AW_probe01, AW_other, AW_mine');
  });

  it('names what was not checked when earlier steps failed', () => {
    const text = renderSupportMessage(skipsAndErrorReport);
    expect(text).toContain('Not checked (needed an earlier step): Probe worker registers; Real agent dispatch is created.');
    expect(text).not.toContain('**What this rules out**\n- The API key');
  });
});
