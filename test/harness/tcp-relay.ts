import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP relay between a client and a server (node:net, no timers): it forwards both ways, and on
 * command holds what the server sends instead of forwarding it — a frozen server, made deterministic.
 * With `holdAfterUpgrade()` each connection's HTTP answer (a WebSocket upgrade's 101) is forwarded up to
 * the blank line that ends its headers and everything after it is held: the client's socket opens, and no
 * frame of the server ever reaches it, however fast the server answers.
 */
export interface TcpRelay {
  /** The relay's loopback port: point the client here instead of at the server. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Bytes the server sent that the relay held back so far (released ones included), over all connections. */
  readonly heldBytes: number;
  /** Bytes the client sent after the server's HTTP answer headers ended (e.g. the first WebSocket frame). */
  readonly clientBytesAfterUpgrade: number;
  /** From now on, hold everything the server sends, on open and new connections. */
  hold(): void;
  /** Forward each connection's HTTP answer headers, then hold what follows them. */
  holdAfterUpgrade(): void;
  /** Forward what was held, in order, and everything after it. */
  release(): void;
  /** Closes every connection and the listening socket. */
  close(): Promise<void>;
}

type Mode = 'pass' | 'hold' | 'hold-after-upgrade';

interface Connection {
  client: Socket;
  upstream: Socket;
  /** Whether the server's HTTP answer headers (ending in CRLF CRLF) have gone by. */
  headersEnded: boolean;
  /** The last bytes of the headers seen so far, to find CRLF CRLF across chunk boundaries. */
  headerTail: Buffer;
  held: Buffer[];
  /** The server closed while bytes were held: the client sees the close only after them. */
  upstreamEnded: boolean;
}

const HEADERS_END = Buffer.from('\r\n\r\n');

export async function startTcpRelay(target: { host?: string; port: number }): Promise<TcpRelay> {
  const host = target.host ?? '127.0.0.1';
  let mode: Mode = 'pass';
  let accepted = 0;
  let heldBytes = 0;
  let clientBytesAfterUpgrade = 0;
  const open = new Set<Connection>();

  const deliver = (conn: Connection, bytes: Buffer, isHeader: boolean) => {
    if (bytes.length === 0) return;
    const hold = conn.held.length > 0 || mode === 'hold' || (mode === 'hold-after-upgrade' && !isHeader);
    if (hold) {
      conn.held.push(bytes);
      heldBytes += bytes.length;
    } else conn.client.write(bytes);
  };

  const fromServer = (conn: Connection, chunk: Buffer) => {
    if (conn.headersEnded) return deliver(conn, chunk, false);
    // Where CRLF CRLF ends, counted in this chunk (it may start in the previous one).
    const seen = Buffer.concat([conn.headerTail, chunk]);
    const at = seen.indexOf(HEADERS_END);
    if (at < 0) {
      conn.headerTail = seen.subarray(Math.max(0, seen.length - (HEADERS_END.length - 1)));
      return deliver(conn, chunk, true);
    }
    conn.headersEnded = true;
    const split = at + HEADERS_END.length - conn.headerTail.length;
    deliver(conn, chunk.subarray(0, split), true);
    deliver(conn, chunk.subarray(split), false);
  };

  const server = createServer((client) => {
    accepted++;
    const upstream = connect({ host, port: target.port });
    const conn: Connection = { client, upstream, headersEnded: false, headerTail: Buffer.alloc(0), held: [], upstreamEnded: false };
    open.add(conn);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('error', () => {});
    upstream.on('error', () => {});
    client.on('data', (chunk: Buffer) => {
      if (conn.headersEnded) clientBytesAfterUpgrade += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => fromServer(conn, chunk));
    let closed = 0;
    const gone = () => ++closed === 2 && open.delete(conn);
    upstream.on('close', () => {
      gone();
      if (conn.held.length > 0) conn.upstreamEnded = true;
      else client.destroy();
    });
    // The client went away: half-close towards the server, which may still be sending (that is counted).
    client.on('close', () => {
      gone();
      upstream.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    get connections() {
      return accepted;
    },
    get heldBytes() {
      return heldBytes;
    },
    get clientBytesAfterUpgrade() {
      return clientBytesAfterUpgrade;
    },
    hold() {
      mode = 'hold';
    },
    holdAfterUpgrade() {
      mode = 'hold-after-upgrade';
    },
    release() {
      mode = 'pass';
      for (const conn of open) {
        for (const bytes of conn.held.splice(0)) conn.client.write(bytes);
        if (conn.upstreamEnded) conn.client.end();
      }
    },
    async close() {
      for (const conn of open) {
        conn.client.destroy();
        conn.upstream.destroy();
      }
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
