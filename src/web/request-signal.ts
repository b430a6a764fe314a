import type { FastifyReply } from "fastify";

/**
 * Aborts when the client goes away before its answer was complete, so work done only for it
 * (a clip being cut) can stop. A response that finished never aborts it.
 */
export function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort(new Error("the client went away"));
  });
  return controller.signal;
}
