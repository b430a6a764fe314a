/**
 * The baseline for full downloads: a minimal static file server, the same Node as the portal,
 * `fs.createReadStream` piped to the response with Content-Length, nothing else (no range, no
 * authentication, no database). Run by the bench as `node --import tsx bench/static-server.ts ROOT PORT`.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import path from "node:path";

const [root, port] = process.argv.slice(2);
if (!root || !port) {
  console.error("usage: static-server.ts ROOT PORT");
  process.exit(2);
}
const base = path.resolve(root);

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/healthz") {
    response.end("ok");
    return;
  }
  const file = path.join(base, decodeURIComponent(url.pathname));
  if (!file.startsWith(`${base}${path.sep}`)) {
    response.writeHead(404).end();
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a file");
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": info.size });
    const stream = createReadStream(file);
    stream.pipe(response);
    // A client that hangs up must not leave the file open.
    response.once("close", () => stream.destroy());
  } catch {
    response.writeHead(404).end();
  }
});
server.listen(Number(port), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => server.close(() => process.exit(0)));
