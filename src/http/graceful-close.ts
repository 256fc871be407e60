import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// A connection accepted just before the close may carry its first request a moment later.
const IDLE_GRACE_MS = 1000;
// A peer that neither sends nor closes after our FIN is let go of.
const LINGER_MS = 2000;

/** Node sets the response in progress on its socket; it is internal, and stable since Node 0.x. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * Closes an HTTP server without resetting a connection the process has accepted. Node's own
 * close() destroys every connection without a response in progress, at once: one whose request
 * is on its way is then reset. Here the listener stops, requests in progress finish (the drain
 * has set Connection: close on them, so Node closes their connection after the response), and
 * an idle connection gets IDLE_GRACE_MS to bring a request before it is closed with a FIN.
 * Nothing is done per request until the close begins.
 */
export class GracefulClose {
  private readonly sockets = new Set<HttpSocket>();

  constructor(private readonly server: Server) {
    server.on('connection', (socket: HttpSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // http.Server.close() calls this first; the idle connections are ours to close.
    server.closeIdleConnections = () => undefined;
  }

  /** Stops accepting and resolves once every connection has closed. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const grace = setTimeout(() => {
      for (const socket of this.sockets) this.endWhenIdle(socket);
    }, IDLE_GRACE_MS);
    void closed.then(() => clearTimeout(grace));
    return closed;
  }

  /** Ends the connection once no response is in progress on it, however long that one takes. */
  private endWhenIdle(socket: HttpSocket): void {
    const response = socket._httpMessage;
    if (response) {
      response.once('close', () => setImmediate(() => this.endWhenIdle(socket)));
      return;
    }
    if (socket.destroyed || socket.writableEnded) return;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  }
}
