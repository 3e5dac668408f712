import { redact } from '../core/redact.js';
import { METRIC_TITLES, TALK_METRICS, type TalkReport } from './types.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const ms = (v?: number) => (v === undefined ? '—' : `${Math.round(v)} ms`);

/** Every turn on one time axis, 0 = the end of the user's speech: speech, thinking, transcript, reply. */
function turnsSvg(report: TalkReport): string {
  const rows = report.turns;
  const before = Math.max(1000, ...rows.map((t) => t.speechEndMs - t.speechStartMs));
  const after = Math.max(1000, ...rows.flatMap((t) => Object.values(t.latency).filter((v): v is number => v !== undefined))) + 300;
  const width = 900;
  const left = 60;
  const scale = (width - left - 20) / (before + after);
  const x = (relMs: number) => left + (relMs + before) * scale;
  const rowH = 26;
  const height = 40 + rows.length * rowH;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`];
  parts.push(`<line x1="${x(0)}" y1="10" x2="${x(0)}" y2="${height - 20}" stroke="#888" stroke-dasharray="3,3"/><text x="${x(0) + 4}" y="20">end of speech</text>`);
  for (let t = 0; t <= after; t += 500) parts.push(`<text x="${x(t)}" y="${height - 4}" text-anchor="middle" fill="#666">${t} ms</text>`);
  rows.forEach((turn, i) => {
    const y = 30 + i * rowH;
    parts.push(`<text x="8" y="${y + 14}">${turn.n}${turn.warmUp ? '*' : ''}</text>`);
    parts.push(`<rect x="${x(-(turn.speechEndMs - turn.speechStartMs))}" y="${y + 4}" width="${(turn.speechEndMs - turn.speechStartMs) * scale}" height="14" fill="#9ecae1"><title>the user speaks</title></rect>`);
    const marks = [['thinking', '#fdae6b'], ['transcript', '#a1d99b'], ['reply', '#e6550d']] as const;
    for (const [metric, color] of marks) {
      const v = turn.latency[metric];
      if (v !== undefined) parts.push(`<circle cx="${x(v)}" cy="${y + 11}" r="6" fill="${color}"><title>${esc(METRIC_TITLES[metric])}: ${v} ms</title></circle>`);
    }
    if (!turn.answered) parts.push(`<text x="${x(0) + 10}" y="${y + 15}" fill="#c00">no reply</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export function renderTalkHtml(report: TalkReport): string {
  const stats = TALK_METRICS.map((m) => `<tr><td>${esc(METRIC_TITLES[m])}</td><td>${ms(report.stats[m]?.p50)}</td><td>${ms(report.stats[m]?.p90)}</td><td>${ms(report.stats[m]?.max)}</td></tr>`).join('');
  const turns = report.turns
    .map((t) => `<tr><td>${t.n}${t.warmUp ? '*' : ''}</td><td>${ms(t.latency.thinking)}</td><td>${ms(t.latency.transcript)}</td><td>${t.answered ? ms(t.latency.reply) : 'no reply'}</td><td>${esc(t.transcript ?? '')}</td><td>${esc(t.replyText ?? '')}</td></tr>`)
    .join('');
  const slo = (report.slo?.verdicts ?? []).map((v) => `<li>${v.ok ? '✔' : '✘'} ${esc(v.message)}</li>`).join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>livekit-doctor talk: ${esc(report.agentName)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>
<h1>Conversation latency: ${esc(report.agentName)}</h1>
<p>${esc(report.url)} · room ${esc(report.room)} · ${report.turns.length} turn(s) · ${esc(report.startedAt)}${report.error ? ` · <b>${esc(report.error)}</b>` : ''}</p>
<h2>From the end of the user's speech</h2><table><tr><th></th><th>p50</th><th>p90</th><th>max</th></tr>${stats}</table>
${slo ? `<ul>${slo}</ul>` : ''}
<h2>Turns</h2>${turnsSvg(report)}
<table><tr><th>turn</th><th>thinking</th><th>transcript</th><th>reply</th><th>heard</th><th>replied</th></tr>${turns}</table>
<p>* warm-up turn, not counted.</p></body></html>`;
  return redact(html);
}
