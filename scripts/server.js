#!/usr/bin/env node
// Handrail's HTTP server: Next.js's request handler behind a plain Node HTTP server, which tells the
// app who is connected. `next start` does not: Next.js fills X-Forwarded-For with the peer only
// when a client sent none, so a client could choose the address the audit log records and the
// sign-in throttle counts. Usage, from the app directory: node scripts/server.js [--port 3000] [--hostname 0.0.0.0]
import { createServer } from "node:http";

// As `next start` does: the production build runs with NODE_ENV=production (React's production
// code paths in the runtime Next loads from node_modules). Set before Next is loaded.
process.env.NODE_ENV ??= "production";
const { default: next } = await import("next");

const PEER_HEADER = "x-handrail-peer";

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** The TCP peer, an IPv4 client of a dual-stack socket written as IPv4. */
function peerOf(socket) {
  const address = socket.remoteAddress ?? "";
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

const port = Number(option("port", process.env.PORT || "3000"));
const hostname = option("hostname", undefined);

// The app believes the header only in a process this server marks (see lib/auth/client-address.ts).
globalThis[Symbol.for("handrail.peerHeader")] = true;
const app = next({ dev: false, dir: process.cwd(), port, ...(hostname ? { hostname } : {}) });
const handle = app.getRequestHandler();
await app.prepare();
const server = createServer((request, response) => {
  request.headers[PEER_HEADER] = peerOf(request.socket);
  void handle(request, response);
});
server.listen(port, hostname, () => console.log(`[handrail] listening on http://${hostname ?? "0.0.0.0"}:${port}`));
