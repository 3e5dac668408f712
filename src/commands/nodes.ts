import { UsageError } from '../core/errors.js';
import { toHttpUrl } from '../core/urls.js';
import { isLoopback } from './interaction.js';

/** N nodes are N probe workers and N² dispatches: at most this many. */
export const MAX_NODES = 10;
/** Above this many nodes, a run against servers that are not on this machine asks first (or needs --yes). */
export const CONFIRM_ABOVE_NODES = 3;

/**
 * The --node values, validated: each a ws(s)/http(s) URL with a host, no query or fragment, no duplicate
 * (after normalising), at most MAX_NODES. A bad one is a usage error naming it (exit 2).
 */
export function parseNodes(values: string[] | undefined): string[] {
  const nodes = (values ?? []).map((v) => v.trim());
  if (nodes.length > MAX_NODES) throw new UsageError(`--node given ${nodes.length} times; at most ${MAX_NODES} nodes (${MAX_NODES} probe workers, ${MAX_NODES * MAX_NODES} dispatches)`);
  const seen = new Map<string, string>();
  for (const node of nodes) {
    let parsed: URL;
    let normal: string;
    try {
      parsed = new URL(node);
      normal = toHttpUrl(node);
    } catch {
      throw new UsageError(`--node "${node}" is not a URL with a scheme; write ws://host:7880 (or wss://, http://, https://)`);
    }
    if (!parsed.hostname) throw new UsageError(`--node "${node}" has no host`);
    if (parsed.search || parsed.hash) throw new UsageError(`--node "${node}" has a query or fragment; give the node's address only (scheme, host, port)`);
    const earlier = seen.get(normal);
    if (earlier !== undefined) throw new UsageError(`--node "${node}" is the same address as --node "${earlier}"; give each node once`);
    seen.set(normal, node);
  }
  return nodes;
}

/** Whether a --node run needs the user's go-ahead: many nodes, and at least one not on this machine. */
export function nodesNeedConfirmation(nodes: string[]): boolean {
  return nodes.length > CONFIRM_ABOVE_NODES && nodes.some((n) => !isLoopback(toHttpUrl(n)));
}
