import type { GlobalOptions } from './shared.js';

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

/** Progress only on a terminal, on stderr, never with --json. */
export async function startSpinner(globals: GlobalOptions): Promise<Spinner | undefined> {
  if (!process.stderr.isTTY || globals.json) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, text: 'starting', color: 'cyan' }).start();
  return { update: (t) => (spinner.text = t), stop: () => spinner.stop() };
}

/** rtc-node keeps the process alive until disposed; only touch it if some check loaded it. */
export async function disposeMedia(): Promise<void> {
  try {
    const { disposeRtc } = await import('../livekit/participant.js');
    await disposeRtc();
  } catch {
    // not loaded or not built yet: nothing to dispose
  }
}
