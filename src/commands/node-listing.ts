import { ExitCode, OperationError, UsageError } from '../core/errors.js';
import type { GlobalOptions } from './shared.js';
import type { ServerApi } from '../livekit/server-api.js';

/** One node's answer to a read-only call (rooms --node, participants --node). */
export interface NodeAnswer<T> {
  /** 1-based, in --node order. */
  index: number;
  url: string;
  value?: T;
  /** One classified, redacted line with its fix, when the node failed. */
  error?: string;
  cause?: string;
  isConfiguration?: boolean;
}

/**
 * Asks every --node the same question at once, each through its own address with the run's key and
 * secret (the --url is not needed: the first node stands in for it when checking the settings). One
 * node's failure is its answer, not the command's.
 */
export async function askEachNode<T>(opts: GlobalOptions, values: string[], work: (api: ServerApi, index: number) => Promise<T>): Promise<NodeAnswer<T>[]> {
  const [{ parseNodes }, { loadConnection, toConnection }, { ServerApi, ServerApiError }] = await Promise.all([
    import('./nodes.js'),
    import('../config/index.js'),
    import('../livekit/server-api.js'),
  ]);
  const nodes = parseNodes(values);
  const { settings } = await loadConnection({ ...opts, url: opts.url ?? nodes[0] });
  return Promise.all(
    nodes.map(async (url, i): Promise<NodeAnswer<T>> => {
      const index = i + 1;
      let connection;
      try {
        connection = toConnection({ value: url, from: { kind: 'flag', detail: 'flag --node' } }, settings.apiKey!, settings.apiSecret!, settings.timeoutMs);
      } catch (err) {
        throw new UsageError(`--node "${url}": ${(err as Error).message}`);
      }
      try {
        return { index, url, value: await work(new ServerApi(connection), index) };
      } catch (err) {
        if (err instanceof ServerApiError) return { index, url, error: `${err.failure.message} — ${err.failure.fix}`, cause: err.failure.cause, isConfiguration: err.failure.isConfiguration };
        if (err instanceof OperationError) return { index, url, error: err.message, cause: err.cause_ };
        throw err;
      }
    }),
  );
}

/** When no node answered, the command fails as a single-server command would: with the first node's line. */
export function throwIfNoneAnswered(answers: NodeAnswer<unknown>[]): void {
  if (answers.some((a) => a.error === undefined)) return;
  const first = answers[0]!;
  throw new OperationError(`node 1 (${first.url}): ${first.error}${answers.length > 1 ? ` (and ${answers.length - 1} more node${answers.length > 2 ? 's' : ''} failed)` : ''}`, answers.every((a) => a.isConfiguration) ? ExitCode.usage : ExitCode.failed, first.cause);
}

/** One line per node: what it answered, or why not. */
export function nodeLines(answers: NodeAnswer<unknown>[], what: (a: NodeAnswer<unknown>) => string): string[] {
  return answers.map((a) => `node ${a.index} ${a.url}: ${a.error !== undefined ? `✘ ${a.error}` : what(a)}`);
}
