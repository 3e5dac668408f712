import type { CheckResult, Report } from '../../core/model.js';
import type { GlobalOptions } from '../shared.js';

export const SIP_SCHEMA = 'livekit-doctor/sip@1';

interface RuleRow {
  id: string;
  name: string;
  trunkIds: string[];
  kind: string;
  room: string;
  hasPin: boolean;
  agents: { agentName: string }[];
  roomPreset: string;
}
interface TrunkRow {
  id: string;
  name: string;
  numbers: string[];
  allowedAddresses: string[];
  hasAuth: boolean;
}

function listing(report: Report): { rules: RuleRow[]; trunks: TrunkRow[] } {
  const listed = report.checks.find((c) => c.id === 'sip.listed');
  return { rules: (listed?.evidence?.rules ?? []) as RuleRow[], trunks: (listed?.evidence?.trunks ?? []) as TrunkRow[] };
}

/** `sip --json`: the rules and trunks, the sip checks and their findings, the exit code. */
export function sipDocument(report: Report) {
  const { rules, trunks } = listing(report);
  return {
    schema: SIP_SCHEMA,
    startedAt: report.startedAt,
    target: { url: report.target.url, apiKey: report.target.apiKey, agentName: report.target.agentName },
    rules,
    trunks,
    checks: report.checks.filter((c) => c.id.startsWith('sip.') || c.status === 'fail' || c.status === 'error'),
    findings: report.findings,
    exitCode: report.exitCode,
  };
}

/** The listing as tables, then one line per problem with its fix; a run stopped before SIP shows the step that failed. */
export async function renderSip(report: Report, globals: GlobalOptions): Promise<string> {
  const [{ plainTable }, { makeChalk }] = await Promise.all([import('../../report/table.js'), import('../../report/style.js')]);
  const c = makeChalk(globals);
  const lines: string[] = [];
  const listed = report.checks.find((x) => x.id === 'sip.listed');
  const mark = (r: CheckResult) => (r.status === 'fail' || r.status === 'error' ? c.red('✘') : c.yellow('!'));
  const problem = (r: CheckResult) => {
    lines.push(`${mark(r)} ${r.summary}`);
    for (const d of r.details ?? []) lines.push(`   ${d}`);
    if (r.fix) lines.push(`   fix: ${r.fix.text}`);
  };
  if (!listed || listed.status !== 'pass') {
    const stop = listed?.status === 'fail' || listed?.status === 'error' ? listed : report.checks.find((x) => x.status === 'fail' || x.status === 'error');
    if (stop) problem(stop);
    else lines.push(listed?.summary ?? 'the SIP checks did not run');
    return `${lines.join('\n')}\n`;
  }
  const { rules, trunks } = listing(report);
  lines.push(c.bold(`Dispatch rules (${rules.length})`));
  if (rules.length) {
    const table = await plainTable(['rule', 'name', 'trunks', 'room', 'agents']);
    for (const r of rules) {
      const room = r.kind === 'direct' ? r.room : `${r.room}… (${r.kind})`;
      const agents = r.agents.length ? r.agents.map((a) => JSON.stringify(a.agentName)).join('\n') : r.roomPreset ? `preset ${r.roomPreset}` : c.dim('none');
      table.push([r.id, r.name, r.trunkIds.length ? r.trunkIds.join('\n') : c.dim('every trunk'), `${room}${r.hasPin ? ' (PIN)' : ''}`, agents]);
    }
    lines.push(table.toString());
  }
  lines.push(c.bold(`Inbound trunks (${trunks.length})`));
  if (trunks.length) {
    const table = await plainTable(['trunk', 'name', 'numbers', 'allowed addresses', 'auth']);
    for (const t of trunks) table.push([t.id, t.name, t.numbers.join('\n') || c.dim('any'), t.allowedAddresses.join('\n') || c.dim('any'), t.hasAuth ? 'yes' : 'no']);
    lines.push(table.toString());
  }
  lines.push('');
  const sipChecks = report.checks.filter((x) => x.id.startsWith('sip.') && x.id !== 'sip.listed');
  for (const r of sipChecks) {
    if (r.status === 'pass') lines.push(`${c.green('✔')} ${r.summary}`);
    else if (r.status === 'skip') lines.push(`${c.dim('–')} ${r.summary}`);
    else problem(r);
  }
  return `${lines.join('\n')}\n`;
}
