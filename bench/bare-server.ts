/**
 * The baseline for pages: a bare Fastify route in its own process, answering a fixed HTML page with
 * no database, template or hooks. Run by the bench as `node --import tsx bench/bare-server.ts PORT`.
 */
import Fastify from "fastify";

const port = Number(process.argv[2]);
const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body><p>${"Hello. ".repeat(10)}</p></body></html>`;
const app = Fastify({ logger: false });
app.get("/bare", async (_request, reply) => reply.type("text/html; charset=utf-8").send(body));
app.get("/healthz", async () => ({ status: "ok" }));
await app.listen({ port, host: "127.0.0.1" });
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => app.close().then(() => process.exit(0)));
