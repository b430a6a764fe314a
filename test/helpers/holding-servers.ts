import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * Servers that keep their answers until released, as a stalled mail server or newsroom server
 * does: a sender then holds its work in flight, where a kill -9 hurts most (test/cli/crash.test.ts).
 */

export type HoldingSmtp = Awaited<ReturnType<typeof startHoldingSmtp>>;

/** A real SMTP server that can keep its answer to messages it received, as a slow server does. */
export async function startHoldingSmtp() {
  const received: { to: string; messageId: string | null }[] = [];
  let holdFrom = Number.POSITIVE_INFINITY;
  let waiting: { to: string[]; answer: () => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const head =
          Buffer.concat(chunks)
            .toString("utf8")
            .split(/\r?\n\r?\n/)[0] ?? "";
        const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null;
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        for (const address of to) received.push({ to: address, messageId });
        if (received.length > holdFrom) waiting.push({ to, answer: () => callback() });
        else callback();
      });
    },
  });
  server.on("error", () => undefined); // answers to a sender that died
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Messages received so far (held ones included: the server has them). */
    count: () => received.length,
    mailsTo: (to: string) => received.filter((r) => r.to === to.toLowerCase()).length,
    /** The Message-ID of each message `to` received, in order. */
    messageIdsTo: (to: string) => received.filter((r) => r.to === to.toLowerCase()).map((r) => r.messageId),
    /** Keep the answer to every message after the first `n` received since the server started. */
    holdAfter(n: number) {
      holdFrom = n;
    },
    held: () => waiting.length,
    /** The recipients of the messages whose answer is kept. */
    heldTo: () => waiting.flatMap((w) => w.to),
    release() {
      holdFrom = Number.POSITIVE_INFINITY;
      for (const { answer } of waiting) answer();
      waiting = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An HTTP receiver that keeps its answers until released, as a stalled newsroom server does. */
export async function startHoldingReceiver() {
  const requests: { id: string; answered: number | null }[] = [];
  let holding = true;
  const held: { answer: () => void; id: string }[] = [];
  // When each request's connection closed: a killed sender's end reaches this process as an event,
  // and until it has been read its socket still looks open (an answer to it would count as accepted).
  const closed = new Map<string, Promise<void>>();
  const server = http.createServer((request, response) => {
    const id = String(request.headers["x-pressroom-delivery"]);
    closed.set(id, new Promise((resolve) => request.socket.once("close", () => resolve())));
    request.resume();
    request.on("end", () => {
      const entry = { id, answered: null as number | null };
      requests.push(entry);
      const answer = () => {
        // A sender that died has no connection to answer on.
        if (response.socket?.destroyed) return;
        entry.answered = 200;
        response.end("ok");
      };
      if (holding) held.push({ answer, id: entry.id });
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    heldIds: () => held.map((h) => h.id),
    /** Resolves once the connection that last sent `id` has closed (its sender died, or it was answered and left). */
    closed: (id: string) => closed.get(id) ?? Promise.resolve(),
    release() {
      holding = false;
      for (const h of held.splice(0)) h.answer();
    },
    sent: (id: string) => requests.filter((r) => r.id === id).length,
    accepted: (id: string) => requests.filter((r) => r.id === id && r.answered === 200).length,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
