import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { TestApp } from './app';

/** Makes the in-process API listen on a loopback port (supertest then reuses it) and returns the port. */
export async function listenApi(t: TestApp): Promise<number> {
  const server = t.app.api.getHttpServer();
  if (!server.listening) await t.app.api.listen(0, '127.0.0.1');
  return (server.address() as AddressInfo).port;
}

export interface RawResponse {
  /** Everything the server wrote, as latin1 text. */
  raw: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection before the deadline. */
  closed: boolean;
  /** Milliseconds from the first byte sent to the close (or the deadline). */
  elapsedMs: number;
}

/**
 * Sends bytes as they are (malformed HTTP, a body that stalls) and collects what comes back until
 * the server closes the connection or `deadlineMs` passes. `end` half-closes after sending.
 */
export function rawExchange(
  port: number,
  data: string | Buffer,
  options: { deadlineMs?: number; end?: boolean } = {},
): Promise<RawResponse> {
  const { deadlineMs = 5000, end = false } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const started = Date.now();
    let closed = false;
    const finish = () => {
      clearTimeout(deadline);
      const raw = Buffer.concat(chunks).toString('latin1');
      socket.destroy();
      resolve({ ...parse(raw), raw, closed, elapsedMs: Date.now() - started });
    };
    const deadline = setTimeout(finish, deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the response still counts as a close; before any byte it is a failure.
      if (error.code === 'ECONNRESET' && chunks.length > 0) return;
      clearTimeout(deadline);
      reject(error);
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      socket.write(data);
      if (end) socket.end();
    });
  });
}

function parse(raw: string): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
    headers,
    body: split === -1 ? '' : Buffer.from(raw.slice(split + 4), 'latin1').toString('utf8'),
  };
}
