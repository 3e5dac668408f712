import { listChecks } from '../../doctor.js';
import type { GlobalOptions } from '../shared.js';

/** `check --list-checks`: id, title and needs of every check, from the registry. */
export async function printCheckList(globals: GlobalOptions): Promise<number> {
  const rows = listChecks();
  if (globals.json) {
    process.stdout.write(`${JSON.stringify({ schema: 'livekit-doctor/checks@1', checks: rows }, null, 2)}\n`);
    return 0;
  }
  const { plainTable } = await import('../../report/table.js');
  const table = await plainTable(['id', 'title', 'needs']);
  for (const r of rows) table.push([r.id, r.title, r.needs.join(', ') || '-']);
  process.stdout.write(`${table.toString()}\n`);
  return 0;
}
