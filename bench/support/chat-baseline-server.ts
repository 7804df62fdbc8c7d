// The chat bench's baseline: a bare `ws` server that forwards every visitor frame to the agent socket,
// with no database, no sequence numbers and no fan-out. Run as: node --import tsx bench/support/chat-baseline-server.ts
import { type WebSocket, WebSocketServer } from 'ws';

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
let agent: WebSocket | undefined;
server.on('connection', (socket, request) => {
  if (request.url?.includes('agent=1')) {
    agent = socket;
    return;
  }
  socket.send(JSON.stringify({ type: 'hello' }));
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { text?: string };
    agent?.send(JSON.stringify({ type: 'message', text: frame.text }));
  });
});
server.on('listening', () => {
  const address = server.address();
  console.log(`baseline listening on port ${address && typeof address === 'object' ? address.port : 0}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
