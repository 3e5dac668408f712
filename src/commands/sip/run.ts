import { createRequire } from 'node:module';
import { runDoctor } from '../../doctor.js';
import { trapInterrupts } from '../../core/interrupt.js';
import type { GlobalOptions } from '../shared.js';
import { renderSip, sipDocument } from './render.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** `livekit-doctor sip`: the sip.* checks (and what they need) as a run of their own, then a listing of rules and trunks. */
export async function runSipCommand(globals: GlobalOptions, opts: { agent?: string }): Promise<number> {
  const interrupt = trapInterrupts(() => {});
  try {
    const { report } = await runDoctor({
      globals,
      version,
      interrupt: interrupt.signal,
      command: 'sip',
      selection: { only: ['sip'] },
      options: { sip: true, agentName: opts.agent, waitMs: 10_000 },
    });
    const { redact, redactDeep } = await import('../../core/redact.js');
    if (globals.json) process.stdout.write(`${JSON.stringify(redactDeep(sipDocument(report)), null, 2)}\n`);
    else process.stdout.write(redact(await renderSip(report, globals)));
    return interrupt.exitCode() ?? report.exitCode;
  } finally {
    interrupt.dispose();
  }
}
