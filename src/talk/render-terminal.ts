import { plainTable } from '../report/table.js';
import { redact } from '../core/redact.js';
import { METRIC_TITLES, TALK_METRICS, type TalkReport, type TalkTurn } from './types.js';

type Paint = { bold(s: string): string; dim(s: string): string; green(s: string): string; red(s: string): string };

const ms = (v?: number) => (v === undefined ? '—' : `${Math.round(v)} ms`);
/** One character of the picture is this long. */
const STEP_MS = 100;

/** A turn on a time axis: the user's speech (█), the wait (·), thinking (t), transcript (x), the reply (R). */
export function turnPicture(turn: TalkTurn): string {
  const speech = Math.max(1, Math.round((turn.speechEndMs - turn.speechStartMs) / STEP_MS));
  const marks = [
    ['t', turn.latency.thinking],
    ['x', turn.latency.transcript],
    ['R', turn.latency.reply],
  ] as const;
  const end = Math.max(0, ...marks.map(([, v]) => v ?? 0));
  const cells = Array.from({ length: Math.ceil(end / STEP_MS) + 1 }, () => '·');
  for (const [mark, v] of marks) if (v !== undefined) cells[Math.max(0, Math.round(v / STEP_MS))] = mark;
  return `${'█'.repeat(speech)}|${cells.join('')}${turn.answered ? '' : ' (no reply)'}`;
}

export async function renderTalkTerminal(report: TalkReport, c: Paint): Promise<string> {
  const lines = [c.bold(`livekit-doctor ${report.tool.version}`) + c.dim(` · talk × ${report.turns.length} · agent "${report.agentName}" · ${report.url} · room ${report.room}`), ''];
  if (report.error) lines.push(c.red(`✘ ${report.error}`), '');
  if (report.turns.length) {
    const turns = await plainTable(['turn', 'thinking', 'transcript', 'reply', 'heard → replied']);
    for (const t of report.turns) {
      const said = [t.transcript && `"${t.transcript}"`, t.replyText && `"${t.replyText}"`].filter(Boolean).join(' → ');
      turns.push([`${t.n}${t.warmUp ? '*' : ''}`, ms(t.latency.thinking), ms(t.latency.transcript), t.answered ? ms(t.latency.reply) : c.red('no reply'), said.length > 70 ? `${said.slice(0, 69)}…` : said]);
    }
    lines.push(turns.toString());
    if (report.turns.some((t) => t.warmUp)) lines.push(c.dim('* warm-up turn, not counted in the statistics'));
    lines.push('');
    const stats = await plainTable(['from the end of speech', 'p50', 'p90', 'max', 'turns']);
    for (const metric of TALK_METRICS) {
      const s = report.stats[metric];
      stats.push([METRIC_TITLES[metric], ms(s?.p50), ms(s?.p90), ms(s?.max), String(s?.count ?? 0)]);
    }
    lines.push(stats.toString(), '');
    lines.push(c.dim(`each turn on a time axis (one character = ${STEP_MS} ms): █ the user speaks, | end of speech, t "thinking", x transcript, R first reply audio`));
    for (const t of report.turns) lines.push(`${String(t.n).padStart(3)}${t.warmUp ? '*' : ' '} ${turnPicture(t)}`);
    lines.push('');
  }
  for (const v of report.slo?.verdicts ?? []) lines.push(v.ok ? c.green(`✔ SLO ${v.message}`) : c.red(`✘ SLO ${v.message}`));
  const verdict = report.interrupted
    ? 'interrupted: partial results'
    : report.exitCode === 0
      ? `every turn answered${report.slo ? ', SLO met' : ''}`
      : report.unanswered
        ? `${report.unanswered} of ${report.turns.length} turn(s) got no reply within --wait`
        : report.error
          ? 'no conversation'
          : 'SLO violated';
  lines.push(report.exitCode === 0 ? c.green(verdict) : c.red(verdict));
  return redact(lines.join('\n'));
}
