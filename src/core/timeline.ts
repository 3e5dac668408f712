import type { TimelineEvent } from './model.js';

/** A monotonic clock whose zero is the start of the run. */
export class RunClock {
  readonly origin = performance.now();
  readonly startedAt = new Date();
  /** Milliseconds since the run started, monotonic, 0.1 ms resolution. */
  now(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }
  /** The wall-clock UTC time of a run-relative instant. */
  isoAt(atMs: number): string {
    return new Date(this.startedAt.getTime() + atMs).toISOString();
  }
}

/** Timed events from every part of a run, in the order they happened. */
export class Timeline {
  readonly events: TimelineEvent[] = [];
  private listeners: ((e: TimelineEvent) => void)[] = [];
  constructor(readonly clock: RunClock = new RunClock()) {}

  add(source: string, type: string, detail?: Record<string, unknown>): TimelineEvent {
    const event: TimelineEvent = { atMs: this.clock.now(), source, type, ...(detail ? { detail } : {}) };
    this.events.push(event);
    for (const l of this.listeners) l(event);
    return event;
  }

  onEvent(listener: (e: TimelineEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The first event of a type (and source, when given) at or after `sinceMs`. */
  find(type: string, source?: string, sinceMs = 0): TimelineEvent | undefined {
    return this.events.find((e) => e.type === type && (!source || e.source === source) && e.atMs >= sinceMs);
  }
}
