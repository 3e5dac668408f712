import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import { WorkerError, socketFailed, upgradeRejected } from './errors.js';

const MAX_BODY_BYTES = 4096;
const BODY_READ_MS = 2000;

/**
 * Opens the worker socket with a Bearer token. Resolves once the upgrade succeeded; rejects with a
 * classified WorkerError (refused, DNS, TLS, 401 with the reason from the body, 404, deadline, abort).
 */
export function openWorkerSocket(
  url: string,
  token: string,
  opts: { timeoutMs: number; signal?: AbortSignal; secrets: string[] },
): Promise<WebSocket> {
  const secrets = [...opts.secrets, token];
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new WorkerError('aborted', 'worker socket: interrupted before connecting'));
    let settled = false;
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${token}` },
      handshakeTimeout: opts.timeoutMs,
      perMessageDeflate: false,
      followRedirects: false,
    });
    const finish = (err: WorkerError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ws.off('open', onOpen);
      if (err) {
        ws.removeAllListeners('message');
        ws.on('error', () => {}); // late errors of a socket we gave up on are not news
        ws.terminate();
        reject(err);
      } else resolve(ws);
    };
    const onOpen = () => finish(undefined);
    const onAbort = () => finish(new WorkerError('aborted', 'worker socket: interrupted while connecting'));
    // ws has its own handshakeTimeout, but a stuck TLS or body read must not outlive ours either.
    const timer = setTimeout(
      () => finish(new WorkerError('timeout', `worker socket: no answer to the upgrade within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', onOpen);
    ws.once('unexpected-response', (req, res: IncomingMessage) => {
      readBody(res).then((body) => {
        req.destroy();
        finish(upgradeRejected(res.statusCode ?? 0, body, secrets));
      });
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (/handshake timed out/i.test(err.message)) {
        finish(new WorkerError('timeout', `worker socket: no answer to the upgrade within ${opts.timeoutMs} ms`));
      } else finish(socketFailed(err, secrets));
    });
  });
}

/** Reads at most 4 KB of a response body, for at most 2 s; never rejects. */
function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      res.removeAllListeners('data');
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, BODY_READ_MS);
    res.on('data', (chunk: Buffer) => {
      if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) done();
    });
    res.once('end', done);
    res.once('error', done);
  });
}
