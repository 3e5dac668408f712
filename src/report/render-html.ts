import type { CheckResult, Remedy, Report } from '../core/model.js';
import { detailText, evidenceLines, formatMs, isoAt, summaryLine } from './render-common.js';
import { STATUS_COLOR, escapeHtml as esc, timelineSvg } from './render-html-timeline.js';
import { STATUS_GLYPH } from './render-terminal.js';

/** One self-contained page: inline CSS and SVG, no scripts, no external assets. */
export function renderHtml(report: Report): string {
  const failed = report.summary.failed + report.summary.errored > 0;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>livekit-doctor report — ${esc(summaryLine(report))}</title>
<style>${CSS}</style>
</head>
<body>
<header class="${failed ? 'verdict failed' : 'verdict ok'}">
<h1>livekit-doctor report</h1>
<p class="summary-line">${esc(summaryLine(report))}</p>
${report.conclusion ? `<p class="conclusion">${esc(report.conclusion)}</p>` : ''}
</header>
<main>
<section class="facts"><h2>Facts</h2>${factsList(report)}</section>
<section><h2>Timeline</h2>
<p class="hint">Each bar is one check, placed where it ran in the ${esc(formatMs(report.durationMs))} run. Numbered ticks are protocol events (listed below). Hover for details.</p>
<div class="timeline-wrap">${timelineSvg(report)}</div>
<p class="legend">${(['pass', 'warn', 'fail', 'error', 'skip'] as const)
    .map((s) => `<span><i style="background:${STATUS_COLOR[s]}"></i>${s}</span>`)
    .join('')}</p>
</section>
<section><h2>Checks</h2>${checklist(report)}</section>
${report.findings.length > 0 ? `<section class="findings"><h2>Findings</h2>${findings(report)}</section>` : ''}
<section><h2>Protocol events</h2>${eventsTable(report)}</section>
</main>
<footer>livekit-doctor ${esc(report.tool.version)} · <code>${esc(report.command)}</code> · started ${esc(report.startedAt)} · exit code ${report.exitCode}</footer>
</body>
</html>
`;
}

function factsList(report: Report): string {
  const s = report.server;
  const rows: [string, string | undefined][] = [
    ['Server URL', report.target.url],
    ['API key', report.target.apiKey],
    ['Agent name', report.target.agentName],
    ['Server version', s.version && `${s.version}${s.edition ? ` (${s.edition})` : ''}`],
    ['Region / node', [s.region, s.nodeId].filter(Boolean).join(' / ') || undefined],
    ['Protocol', s.protocol === undefined ? undefined : `${s.protocol}${s.agentProtocol === undefined ? '' : `, agent ${s.agentProtocol}`}`],
    ['Clock offset', s.clockOffsetMs === undefined ? undefined : `${s.clockOffsetMs} ms`],
    ['Round trip', s.roundTripMs === undefined ? undefined : formatMs(s.roundTripMs)],
    ['Started (UTC)', report.startedAt],
    ['Duration', formatMs(report.durationMs)],
  ];
  const shown = rows.filter((r): r is [string, string] => Boolean(r[1]));
  const settings = Object.entries(report.target.settings).map(
    ([name, v]) => `<dt>Setting ${esc(name)}</dt><dd>${esc(v.shown)} <span class="muted">from ${esc(v.from)}</span></dd>`,
  );
  return `<dl>${shown.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}${settings.join('')}</dl>`;
}

function checklist(report: Report): string {
  const rows = report.checks.map((check) => checkRow(check));
  return `<table class="checklist"><thead><tr><th></th><th>Check</th><th>Result</th><th class="num">Took</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checkRow(check: CheckResult): string {
  const notes: string[] = [];
  if (check.skippedBecause && !check.summary.includes(check.skippedBecause)) notes.push(`<p>Needs <code>${esc(check.skippedBecause)}</code>.</p>`);
  if (check.status !== 'pass' && check.cause) notes.push(`<p>Cause: <code>${esc(check.cause)}</code></p>`);
  for (const detail of check.details ?? []) notes.push(`<p>${esc(detail)}</p>`);
  if (check.status !== 'pass' && check.fix) notes.push(remedy(check.fix));
  const evidence = evidenceLines(check.evidence);
  if (evidence.length > 0) notes.push(`<p class="evidence">${evidence.map(esc).join('<br>')}</p>`);
  return (
    `<tr class="check status-${check.status}" data-check-id="${esc(check.id)}" data-status="${check.status}">` +
    `<td class="glyph" style="color:${STATUS_COLOR[check.status]}" title="${check.status}">${esc(STATUS_GLYPH[check.status])}</td>` +
    `<td><strong>${esc(check.title)}</strong><br><code class="muted">${esc(check.id)}</code>${check.required ? '' : ' <span class="muted">(optional)</span>'}</td>` +
    `<td>${esc(check.summary)}${notes.length > 0 ? `<div class="notes">${notes.join('')}</div>` : ''}</td>` +
    `<td class="num">${check.status === 'skip' ? '—' : esc(formatMs(check.durationMs))}</td></tr>`
  );
}

function remedy(fix: Remedy): string {
  const commands = (fix.commands ?? []).map((c) => `<pre>$ ${esc(c)}</pre>`).join('');
  const links = (fix.links ?? []).map((l) => (/^https?:\/\//.test(l) ? `<a href="${esc(l)}">${esc(l)}</a>` : esc(l))).join('<br>');
  return `<div class="fix"><p><strong>Fix:</strong> ${esc(fix.text)}</p>${commands}${links ? `<p>${links}</p>` : ''}</div>`;
}

function findings(report: Report): string {
  const items = [...report.findings]
    .sort((a, b) => a.rank - b.rank)
    .map(
      (f) =>
        `<li class="finding likelihood-${esc(f.likelihood)}"><h3>${esc(f.title)} <span class="badge">${esc(f.likelihood)}</span></h3>` +
        `<p class="muted">cause <code>${esc(f.cause)}</code> · from ${f.fromChecks.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>` +
        `<ul>${f.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>${remedy(f.fix)}</li>`,
    );
  return `<ol>${items.join('')}</ol>`;
}

function eventsTable(report: Report): string {
  if (report.timeline.length === 0) return '<p class="muted">No timed events were recorded.</p>';
  const rows = report.timeline.map(
    (e, i) =>
      `<tr class="event"><td class="num">${i + 1}</td><td class="num">+${esc(formatMs(e.atMs))}</td><td>${esc(isoAt(report, e.atMs).slice(11))}</td>` +
      `<td>${esc(e.source)}</td><td><code>${esc(e.type)}</code></td><td>${esc(detailText(e.detail))}</td></tr>`,
  );
  return `<table class="events"><thead><tr><th class="num">#</th><th class="num">At</th><th>UTC</th><th>Source</th><th>Event</th><th>Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;background:#fff}
header.verdict{padding:20px 32px;border-bottom:1px solid #d0d7de}
header.ok{background:#eaf7ef;border-left:6px solid ${STATUS_COLOR.pass}}
header.failed{background:#fdecee;border-left:6px solid ${STATUS_COLOR.fail}}
h1{margin:0 0 4px;font-size:22px}
h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #eaeef2;padding-bottom:4px}
h3{font-size:15px;margin:0 0 4px}
.summary-line{font-weight:600;margin:0}
.conclusion{margin:6px 0 0}
main{padding:0 32px 24px;max-width:1060px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:0}
dt{color:#57606a}
dd{margin:0}
.muted{color:#6e7781}
.hint{color:#57606a;margin:0 0 8px}
.timeline-wrap{overflow-x:auto;border:1px solid #d0d7de;border-radius:6px;padding:8px 0}
svg.timeline{display:block;font:12px system-ui,"DejaVu Sans",sans-serif}
svg .row-label{fill:#1f2328}
svg .muted{fill:#8c959f}
svg .axis-label,svg .tick-label{fill:#57606a;font-size:11px}
svg .bar-label{fill:#1f2328;font-size:11px}
svg .bar-label.inside{fill:#fff;font-weight:600}
.legend span{margin-right:14px;color:#57606a;font-size:12px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-2px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #eaeef2}
th{font-weight:600;color:#57606a;font-size:12px}
td.num,th.num{text-align:right;white-space:nowrap}
td.glyph{font-weight:700;font-size:16px;width:28px;white-space:nowrap}
tr.status-skip td{color:#6e7781}
.notes{margin-top:4px;font-size:13px}
.notes p{margin:2px 0}
.fix{background:#f6f8fa;border-radius:4px;padding:4px 8px;margin-top:4px}
pre{margin:3px 0;padding:4px 8px;background:#eef1f4;border-radius:4px;white-space:pre-wrap;font-size:12px}
code{font-size:12px}
.evidence{color:#57606a;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
.findings ol{padding-left:20px}
.finding{margin-bottom:14px}
.badge{font-size:11px;font-weight:600;padding:1px 6px;border-radius:8px;background:#eaeef2;vertical-align:2px}
.likelihood-high .badge{background:#fdd8dc;color:#a0111f}
.likelihood-medium .badge{background:#fff1c2;color:#7a5300}
footer{padding:12px 32px;color:#6e7781;font-size:12px;border-top:1px solid #eaeef2}
`;
