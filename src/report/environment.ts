import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, release, type as osType } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../core/model.js';

export interface EnvironmentFacts {
  livekitDoctor: string;
  node: string;
  os: { platform: string; type: string; release: string; arch: string };
  /** Installed versions of the LiveKit packages the doctor uses (`null` when not found). */
  packages: Record<string, string | null>;
  server: { version?: string; edition?: string; region?: string; nodeId?: string; protocol?: number; agentProtocol?: number };
  clockOffsetMs?: number;
  roundTripMs?: number;
  /** Where and when the report was made, so the bundle can be matched to server logs. */
  report: { startedAt: string; durationMs: number; command: string };
}

const LIVEKIT_PACKAGES = ['livekit-server-sdk', '@livekit/protocol', '@livekit/rtc-node'];

/** Facts about this machine and the versions in play; reads package.json files, imports no SDK. */
export function collectEnvironment(report: Report): EnvironmentFacts {
  const s = report.server;
  return {
    livekitDoctor: report.tool.version,
    node: process.version,
    os: { platform: platform(), type: osType(), release: release(), arch: arch() },
    packages: Object.fromEntries(LIVEKIT_PACKAGES.map((name) => [name, installedVersion(name)])),
    server: { version: s.version, edition: s.edition, region: s.region, nodeId: s.nodeId, protocol: s.protocol, agentProtocol: s.agentProtocol },
    clockOffsetMs: s.clockOffsetMs,
    roundTripMs: s.roundTripMs,
    report: { startedAt: report.startedAt, durationMs: report.durationMs, command: report.command },
  };
}

/**
 * The version from a package's package.json. Their `exports` maps hide `pkg/package.json`, so the
 * node_modules folders Node would search are walked directly instead of resolving through exports.
 */
export function installedVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  for (const dir of require.resolve.paths(name) ?? []) {
    const file = join(dir, name, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // An unreadable package.json is as good as none; keep looking further up.
    }
  }
  return null;
}
