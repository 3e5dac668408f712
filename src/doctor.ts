import { CleanupList } from './core/cleanup.js';
import { resolveSettings } from './config/index.js';
import { resolveField, FIELDS } from './config/resolve.js';
import { settingsView } from './config/view.js';
import { maskKey } from './core/redact.js';
import type { GlobalOptions } from './config/types.js';
import { ServerApi } from './livekit/server-api.js';
import { buildReport, exitCodeFor } from './report/build.js';
import type { Report } from './core/model.js';
import { RunClock, Timeline } from './core/timeline.js';
import { analyze } from './findings/analyze.js';
import { FINDING_RULES } from './findings/index.js';
import { CHECKS } from './checks/registry.js';
import { planChecks, runChecks, unknownSelectors, type RunHooks, type Selection } from './checks/runner.js';
import type { CheckContext, CheckOptions } from './checks/check.js';
import type { RunFacts } from './checks/facts.js';

export interface DoctorInput {
  globals: GlobalOptions;
  options: CheckOptions;
  selection?: Selection;
  strict?: boolean;
  interrupt: AbortSignal;
  hooks?: RunHooks;
  version: string;
  command?: string;
  log?: (line: string) => void;
}

export interface DoctorRun {
  report: Report;
  facts: RunFacts;
  timeline: Timeline;
}

/** One run of the checklist: settings → checks (concurrent where independent) → findings → Report. */
export async function runDoctor(input: DoctorInput): Promise<DoctorRun> {
  const timeline = new Timeline(new RunClock());
  timeline.add('runner', 'run-start');
  const { settings, sources, connection } = await resolveSettings(input.globals);
  const options = { ...input.options };
  if (options.agentName === undefined) {
    const fromEnv = resolveField(sources, FIELDS.agentName);
    if (fromEnv) options.agentName = fromEnv.value;
  }
  const cleanup = new CleanupList();
  const facts: RunFacts = { server: {}, createdRooms: [] };
  let api: ServerApi | undefined;
  const ctx: Omit<CheckContext, 'signal'> = {
    settings,
    connection,
    options,
    timeline,
    cleanup,
    facts,
    runSignal: input.interrupt,
    api() {
      if (!connection) throw new Error('no usable connection settings');
      api ??= new ServerApi(connection);
      return api;
    },
    log: input.log ?? (() => {}),
  };
  const checks = planChecks(CHECKS, options, input.selection);
  const results = await runChecks(checks, ctx, input.interrupt, input.selection, input.hooks);
  timeline.add('runner', 'run-end');
  const { findings, conclusion } = analyze(results, FINDING_RULES);
  // Unusable settings are a configuration error (2): nothing could be measured.
  const settingsBroken = results.find((r) => r.id === 'settings.valid')?.status === 'fail';
  const exitCode = input.interrupt.aborted ? 130 : settingsBroken ? 2 : exitCodeFor(results, input.strict ?? false);
  const report = buildReport({
    version: input.version,
    command: input.command ?? 'check',
    timeline,
    checks: results,
    findings,
    conclusion,
    server: facts.server,
    target: {
      url: settings.url?.value,
      apiKey: settings.apiKey ? maskKey(settings.apiKey.value) : undefined,
      agentName: options.agentName,
      settings: settingsView(settings),
    },
    exitCode,
  });
  return { report, facts, timeline };
}

export type { CheckOptions, Selection };

/** The checklist as `--list-checks` shows it, straight from the registry. */
export function listChecks(): { id: string; title: string; needs: string[]; required: boolean }[] {
  return CHECKS.map((c) => ({ id: c.id, title: c.title, needs: c.needs, required: c.required ?? true }));
}

/** The --only/--skip selectors that name no check or group. */
export function validateSelection(selection: Selection): string[] {
  return unknownSelectors(CHECKS, selection);
}
