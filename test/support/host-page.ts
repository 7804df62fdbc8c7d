import { createServer, type Server } from 'node:http';

/** Serves one HTML page on a loopback port: a customer's site for the widget, on its own origin. */
export function serveHostPage(html: string, path = '/'): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}${path}` });
    }),
  );
}
