import type { FastifyReply } from "fastify";

/** Sends a page: every HTML answer goes out through here, so its type and charset are the same. */
export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type("text/html; charset=utf-8").send(body);
}
