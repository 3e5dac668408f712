import { UsageError } from '../core/errors.js';

export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 24 * 3600_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000 };

/**
 * A run interval: `500ms`, `0.5s`, `30s`, `5m`, `1h`, or a plain number of seconds (as YAML may give it).
 * Returns milliseconds; `what` names the value in the one-line error (`--interval`, `target "eu" interval`).
 */
export function parseInterval(value: string | number, what: string): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/.exec(text);
  const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's']! : NaN;
  if (!Number.isFinite(ms) || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new UsageError(`${what} "${text}" is not an interval from 100ms to 24h; write e.g. 60s, 5m or 500ms`);
  }
  return Math.round(ms);
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `--listen host:port` (`127.0.0.1:9464`, `[::1]:9464`, `:9464` for every interface; port 0 picks a free one). */
export function parseListen(value: string): ListenAddress {
  const text = value.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`--listen "${value}" is not host:port; write e.g. 127.0.0.1:9464, [::1]:9464 or :9464 (every interface)`);
  }
  const host = m[1] ?? (m[2] || '0.0.0.0');
  return { host, port };
}

/** How an address is written in a URL (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
