import { appendFileSync, writeFileSync } from 'node:fs';
import type { Report } from '../../core/model.js';
import type { RepeatSummary } from '../../report/repeat.js';
import type { GlobalOptions } from '../shared.js';
import type { CheckCommandOptions } from './options.js';

/** What a `check` produced: one run, or every run of --repeat with their summary. */
export type CheckOutcome = { runs: [Report]; summary?: undefined } | { runs: Report[]; summary: RepeatSummary };

type OutputFlags = Pick<CheckCommandOptions, 'junit' | 'bundle' | 'format' | 'strict'>;

/** The same five outputs for a single run and for repeated runs; only the renderers differ. */
interface Renderers {
  junit(strict?: boolean): string;
  /** The report the bundle carries, and the line that says so. */
  bundle(file: string): { report: Report; note: string } | undefined;
  json(): string;
  githubAnnotations(strict?: boolean): string;
  githubSummary(): string;
  terminal(color: boolean, verbose: boolean): string;
}

async function renderersFor(outcome: CheckOutcome): Promise<Renderers> {
  const [junit, json, github, terminal] = await Promise.all([
    import('../../report/render-junit.js'),
    import('../../report/render-json.js'),
    import('../../report/render-github.js'),
    import('../../report/render-terminal.js'),
  ]);
  if (!outcome.summary) {
    const [report] = outcome.runs;
    return {
      junit: (strict) => junit.renderJunit(report, { strict }),
      bundle: (file) => ({ report, note: `evidence bundle written to ${file}` }),
      json: () => json.renderJson(report),
      githubAnnotations: (strict) => github.renderGithubAnnotations(report, { strict }),
      githubSummary: () => github.renderGithubSummary(report),
      terminal: (color, verbose) => `${terminal.renderTerminal(report, { color, verbose })}\n`,
    };
  }
  const { runs, summary } = outcome;
  const [repeat, render] = await Promise.all([import('../../report/repeat.js'), import('../../report/repeat-render.js')]);
  return {
    junit: (strict) => render.renderRepeatJunit(runs, { strict }),
    bundle: (file) => {
      const worst = repeat.worstRun(runs);
      return worst && { report: worst, note: `evidence bundle (run ${runs.indexOf(worst) + 1} of ${runs.length}, exit ${worst.exitCode}) written to ${file}` };
    },
    json: () => JSON.stringify(repeat.repeatDocument(runs.map((r) => JSON.parse(json.renderJson(r)) as Report), summary), null, 2),
    githubAnnotations: (strict) => render.renderRepeatAnnotations(runs, summary, { strict }).replace(/\n$/, ''),
    githubSummary: () => render.renderRepeatMarkdown(runs, summary),
    terminal: (color) => render.renderRepeatTerminal(runs, summary, { color }),
  };
}

/** JUnit, bundle, then exactly one of JSON (alone on stdout) or GitHub annotations + terminal. */
export async function writeOutputs(outcome: CheckOutcome, globals: GlobalOptions, opts: OutputFlags): Promise<void> {
  const r = await renderersFor(outcome);
  if (opts.junit) writeFileSync(opts.junit, r.junit(opts.strict));
  if (opts.bundle) {
    const chosen = r.bundle(opts.bundle);
    if (chosen) {
      const { writeBundle } = await import('../../report/bundle.js');
      writeBundle(opts.bundle, chosen.report, { settings: chosen.report.target.settings, verbose: globals.verbose });
      process.stderr.write(`${chosen.note}\n`);
    }
  }
  if (globals.json) {
    process.stdout.write(`${r.json()}\n`);
    return;
  }
  if (opts.format === 'github') {
    const annotations = r.githubAnnotations(opts.strict);
    if (annotations) process.stdout.write(`${annotations}\n`);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${r.githubSummary()}\n`);
  }
  const { makeChalk } = await import('../../report/style.js');
  process.stdout.write(r.terminal(makeChalk(globals).level > 0, !!globals.verbose));
}
