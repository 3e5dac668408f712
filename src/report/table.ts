import type Table from 'cli-table3';

/**
 * A cli-table3 table without its default colours: cli-table3 paints heads and borders with its own
 * ANSI codes, which would ignore --no-color and NO_COLOR. Colour comes only from makeChalk.
 */
export async function plainTable(head: string[]): Promise<Table.Table> {
  const { default: TableClass } = await import('cli-table3');
  return new TableClass({ head, style: { head: [], border: [] } });
}

/** Human age: `45s`, `3m 12s`, `2h 5m`, `3d 4h`; `-` when unknown. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** The age of something created at a Unix-ms instant, or undefined when the server gave no time. */
export function ageSince(createdAtMs: number | undefined, now = Date.now()): number | undefined {
  return createdAtMs ? Math.max(0, now - createdAtMs) : undefined;
}
