/**
 * Ctrl-C and SIGTERM abort the run instead of killing it, so cleanup can remove what the doctor
 * created; a second signal exits at once. The exit code follows the first signal (130 / 143).
 */
export interface Interrupt {
  signal: AbortSignal;
  /** The exit code for the signal received, or undefined. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function trapInterrupts(onFirst?: (name: string) => void): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (name: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`livekit-doctor: ${name} again, exiting without finishing cleanup\n`);
      process.exit(name === 'SIGTERM' ? 143 : 130);
    }
    received = name;
    onFirst?.(name);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () => (received ? (received === 'SIGTERM' ? 143 : 130) : undefined),
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
