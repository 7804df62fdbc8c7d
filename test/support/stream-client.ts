import { WebSocket } from 'ws';

export type StreamFrame = {
  type: string;
  eventId?: number;
  data?: Record<string, unknown>;
  [key: string]: unknown;
};

export type StreamClient = {
  socket: WebSocket;
  /** Every frame received so far, in order. */
  frames: StreamFrame[];
  /** Resolves with the first frame (already received or coming) that matches; fails clearly after a generous wait. */
  waitFor(matches: (frame: StreamFrame) => boolean, what: string, timeoutMs?: number): Promise<StreamFrame>;
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  close(): void;
};

const describeFrames = (frames: StreamFrame[]) => frames.map((f) => f.type).join(', ') || 'nothing';

/** Connects to a Rapport stream and resolves once the server's hello arrived. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
  const socket = new WebSocket(url, { headers });
  const frames: StreamFrame[] = [];
  const waiters = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const wake of waiters) wake();
    });
  });
  socket.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()) as StreamFrame);
    for (const wake of waiters) wake();
  });

  const client: StreamClient = {
    socket,
    frames,
    closed,
    waitFor(matches, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(matches);
          if (found) return finish(() => resolve(found));
          if (closeInfo) {
            return finish(() =>
              reject(
                new Error(`Stream closed (${closeInfo!.code}) before ${what}; got ${describeFrames(frames)}`),
              ),
            );
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`No ${what} within ${timeoutMs} ms; got ${describeFrames(frames)}`)),
            ),
          timeoutMs,
        );
        function finish(settle: () => void) {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        }
        waiters.add(check);
        check();
      });
    },
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () => socket.terminate(),
  };

  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`Stream refused with HTTP ${response.statusCode}`));
      socket.terminate();
    });
    // Errors after the handshake show up as a close; the listener only keeps them from being thrown.
    socket.on('error', reject);
    client.waitFor((f) => f.type === 'hello', 'hello frame').then(() => resolve(client), reject);
  });
}

/** The HTTP status a refused WebSocket handshake answered with. */
export function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('The stream accepted a connection that should have been refused'));
    });
    socket.on('error', reject);
  });
}
