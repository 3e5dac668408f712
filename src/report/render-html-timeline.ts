import type { CheckResult, CheckStatus, Report, TimelineEvent } from '../core/model.js';
import { detailText, formatMs } from './render-common.js';

/** The timeline picture: one bar per check on a shared time axis, protocol events as ticks. */

export const STATUS_COLOR: Record<CheckStatus, string> = {
  pass: '#2f9e5b',
  warn: '#d99a00',
  fail: '#d73a49',
  error: '#8e1b3a',
  skip: '#c9ced6',
};

const WIDTH = 980;
const LABEL_WIDTH = 270;
const RIGHT_PAD = 70;
const ROW = 28;
const AXIS_TOP = 34;
const EVENT_LANE = 46;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - RIGHT_PAD;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function timelineSvg(report: Report): string {
  const checks = report.checks;
  const events = report.timeline;
  const end = Math.max(
    1,
    report.durationMs,
    ...checks.map((c) => c.startedAtMs + c.durationMs),
    ...events.map((e) => e.atMs),
  );
  const x = (ms: number) => LABEL_WIDTH + (Math.max(0, ms) / end) * PLOT_WIDTH;
  const rowsBottom = AXIS_TOP + checks.length * ROW;
  const height = rowsBottom + EVENT_LANE + 10;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Timeline of the checks">`,
    '<defs><pattern id="skip-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      `<rect width="6" height="6" fill="#f3f4f6"/><line x1="0" y1="0" x2="0" y2="6" stroke="${STATUS_COLOR.skip}" stroke-width="2"/></pattern></defs>`,
  );
  parts.push(...axis(end, x, rowsBottom));
  checks.forEach((check, index) => parts.push(bar(check, index, x)));
  const stop = checks.find((c) => c.status === 'fail' || c.status === 'error');
  if (stop) {
    const sx = x(stop.startedAtMs + stop.durationMs);
    parts.push(
      `<line class="stop-line" x1="${sx}" y1="${AXIS_TOP - 4}" x2="${sx}" y2="${rowsBottom}" stroke="${STATUS_COLOR.fail}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    );
  }
  parts.push(...eventLane(events, x, rowsBottom));
  parts.push('</svg>');
  return parts.join('\n');
}

function axis(end: number, x: (ms: number) => number, rowsBottom: number): string[] {
  const step = niceStep(end / 6);
  const out = [`<line x1="${LABEL_WIDTH}" y1="${AXIS_TOP - 6}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${AXIS_TOP - 6}" stroke="#9aa1ab"/>`];
  for (let t = 0, n = 0; t <= end + step / 1000 && n < 50; t += step, n++) {
    const tx = x(t);
    out.push(
      `<line x1="${tx}" y1="${AXIS_TOP - 10}" x2="${tx}" y2="${rowsBottom}" stroke="#e5e7eb"/>`,
      `<text class="axis-label" x="${tx}" y="${AXIS_TOP - 14}" text-anchor="middle">${escapeHtml(formatMs(t))}</text>`,
    );
  }
  return out;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 0.001)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function bar(check: CheckResult, index: number, x: (ms: number) => number): string {
  const y = AXIS_TOP + index * ROW;
  const bx = x(check.startedAtMs);
  const skipped = check.status === 'skip';
  const width = skipped ? 46 : Math.max(3, x(check.startedAtMs + check.durationMs) - bx);
  const label = skipped ? `skipped${check.skippedBecause ? ` (needs ${check.skippedBecause})` : ''}` : formatMs(check.durationMs);
  const fill = skipped ? 'url(#skip-hatch)' : STATUS_COLOR[check.status];
  const title = `${check.title} — ${check.status}: ${check.summary}${skipped ? '' : ` (${formatMs(check.durationMs)} from +${formatMs(check.startedAtMs)})`}`;
  const place = labelPlacement(bx, width, label);
  return [
    `<g class="bar" data-check-id="${escapeHtml(check.id)}" data-status="${check.status}">`,
    `<title>${escapeHtml(title)}</title>`,
    index % 2 === 0 ? `<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="#f8f9fb"/>` : '',
    `<text class="row-label${skipped ? ' muted' : ''}" x="${LABEL_WIDTH - 12}" y="${y + ROW / 2 + 4}" text-anchor="end">${escapeHtml(truncate(check.title, 40))}</text>`,
    `<rect class="bar-rect" x="${bx}" y="${y + 6}" width="${width}" height="${ROW - 12}" rx="3" fill="${fill}"${skipped ? ` stroke="${STATUS_COLOR.skip}"` : ''}/>`,
    `<text class="bar-label${skipped ? ' muted' : ''}${place.inside ? ' inside' : ''}" x="${place.x}" y="${y + ROW / 2 + 4}" text-anchor="${place.anchor}">${escapeHtml(label)}</text>`,
    '</g>',
  ].join('');
}

/** Right of the bar when it fits, else inside a wide bar, else left of it. */
function labelPlacement(bx: number, width: number, label: string): { x: number; anchor: 'start' | 'end'; inside: boolean } {
  const textWidth = label.length * 6.5;
  if (bx + width + 6 + textWidth <= WIDTH - 4) return { x: bx + width + 6, anchor: 'start', inside: false };
  if (width >= textWidth + 12) return { x: bx + width - 6, anchor: 'end', inside: true };
  return { x: bx - 6, anchor: 'end', inside: false };
}

function eventLane(events: TimelineEvent[], x: (ms: number) => number, rowsBottom: number): string[] {
  const laneY = rowsBottom + 14;
  const out = [
    `<text class="row-label" x="${LABEL_WIDTH - 12}" y="${laneY + 12}" text-anchor="end">Protocol events</text>`,
    `<line x1="${LABEL_WIDTH}" y1="${laneY + 8}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${laneY + 8}" stroke="#9aa1ab"/>`,
  ];
  events.forEach((event, index) => {
    const ex = x(event.atMs);
    const text = `#${index + 1} +${formatMs(event.atMs)} ${event.source}: ${event.type} ${detailText(event.detail)}`.trim();
    out.push(
      `<g class="event-tick" data-type="${escapeHtml(event.type)}"><title>${escapeHtml(text)}</title>` +
        `<line x1="${ex}" y1="${laneY}" x2="${ex}" y2="${laneY + 16}" stroke="#3b5bdb" stroke-width="2"/></g>`,
    );
  });
  for (const cluster of clusters(events.map((e) => x(e.atMs)))) {
    const label = cluster.first === cluster.last ? `${cluster.first + 1}` : `${cluster.first + 1}–${cluster.last + 1}`;
    out.push(`<text class="tick-label" x="${cluster.x}" y="${laneY + 30}" text-anchor="middle">${label}</text>`);
  }
  return out;
}

/** Groups ticks closer than a label's width so that their numbers do not overlap (events are in time order). */
function clusters(xs: number[]): { first: number; last: number; x: number }[] {
  const out: { first: number; last: number; x: number; startX: number }[] = [];
  xs.forEach((tx, index) => {
    const current = out[out.length - 1];
    if (current && tx - current.startX < 22) {
      current.last = index;
      current.x = (current.startX + tx) / 2;
    } else out.push({ first: index, last: index, x: tx, startX: tx });
  });
  return out;
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
