import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ExitCode } from '../core/errors.js';
import { examples, globalOptions, status } from './shared.js';
import { commandSummary } from './catalog.js';

export function defineBundleCommand(program: Command): void {
  const cmd = program
    .command('bundle')
    .description(commandSummary('bundle'))
    .argument('<report.json>', 'a report saved with `livekit-doctor check --json > report.json`')
    .option('-o, --output <file.zip>', 'where to write the zip (default: livekit-doctor-bundle-<time>.zip here)')
    .action(async (reportPath: string, opts: { output?: string }, command: Command) => {
      const { loadReportFile, writeBundle, defaultBundleName } = await import('../report/bundle.js');
      const report = loadReportFile(reportPath);
      const output = resolve(opts.output ?? defaultBundleName(report));
      const bytes = writeBundle(output, report, { verbose: globalOptions(command).verbose });
      if (globalOptions(command).json) process.stdout.write(`${JSON.stringify({ bundle: output, bytes: bytes.length })}\n`);
      status(`Evidence bundle written: ${output} (${Math.ceil(bytes.length / 1024)} KiB). No secrets inside; attach it to your support request.`);
      process.exitCode = ExitCode.ok;
    });
  examples(cmd, ['livekit-doctor check --agent my-agent --json > report.json', 'livekit-doctor bundle report.json -o support.zip']);
}
