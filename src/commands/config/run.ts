import { ExitCode } from '../../core/errors.js';
import type { GlobalOptions } from '../shared.js';
import { resolveSettings } from '../../config/index.js';
import { settingsView } from '../../config/view.js';
import { redactDeep } from '../../core/redact.js';

export const CONFIG_SCHEMA = 'livekit-doctor/config@1';

/** `livekit-doctor config`: the resolved settings and their sources; exit 2 when a setting is unusable. */
export async function runConfig(opts: GlobalOptions): Promise<number> {
  const { settings } = await resolveSettings(opts);
  const view = settingsView(settings);
  const hasError = settings.problems.some((p) => p.severity === 'error');
  if (opts.json) {
    const doc = { schema: CONFIG_SCHEMA, settings: view, filesRead: settings.filesRead, problems: settings.problems, valid: !hasError };
    process.stdout.write(`${JSON.stringify(redactDeep(doc), null, 2)}\n`);
  } else {
    const [{ default: Table }, { makeChalk }] = await Promise.all([import('cli-table3'), import('../../report/style.js')]);
    const c = makeChalk(opts);
    const table = new Table({ head: ['setting', 'value', 'from'], style: { head: [], border: [] } });
    for (const [name, s] of Object.entries(view)) table.push([name, s.shown, s.from]);
    const lines = [table.toString()];
    if (settings.filesRead.length) lines.push(`files read: ${settings.filesRead.join(', ')}`);
    for (const p of settings.problems) {
      lines.push(p.severity === 'error' ? c.red(`✘ ${p.message}`) : c.yellow(`! ${p.message}`));
    }
    if (!settings.problems.length) lines.push(c.green('✔ settings look valid (not yet checked against the server: run `livekit-doctor check`)'));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return hasError ? ExitCode.usage : ExitCode.ok;
}
