import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real HTTP receiver for webhooks on 127.0.0.1, as a newsroom's system would run one: it reads
 * each POST whole, checks its `X-Pressroom-Signature` against the secret of the webhook its path
 * names (`/hook/NAME`), answers 204, and counts deliveries by `X-Pressroom-Delivery` (a second
 * arrival of one id is a duplicate, counted apart). `waitFor(n)` resolves once n distinct
 * deliveries have arrived.
 */
export async function startWebhookReceiver() {
  const secrets = new Map<string, string>();
  const delivered = new Set<string>();
  let duplicates = 0;
  let badSignatures = 0;
  const waiters: { count: number; resolve: () => void }[] = [];

  const verified = (name: string, header: string | undefined, body: string) => {
    const secret = secrets.get(name);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
    if (!secret || !match) return false;
    const expected = createHmac("sha256", secret).update(`${match[1]}.${body}`).digest();
    return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const name = request.url?.replace(/^\/hook\//, "") ?? "";
      const body = Buffer.concat(chunks).toString("utf8");
      const signatureHeader = request.headers["x-pressroom-signature"];
      if (!verified(name, typeof signatureHeader === "string" ? signatureHeader : undefined, body)) {
        badSignatures += 1;
        response.writeHead(401).end();
        return;
      }
      const id = String(request.headers["x-pressroom-delivery"]);
      if (delivered.has(id)) duplicates += 1;
      delivered.add(id);
      response.writeHead(204).end();
      for (const w of waiters.filter((w) => w.count <= delivered.size)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The address of the webhook `name`. */
    address: (name: string) => `http://127.0.0.1:${port}/hook/${name}`,
    /** The secret the webhook `name` signs with (known once it is registered). */
    trust(name: string, secret: string): void {
      secrets.set(name, secret);
    },
    delivered: () => delivered.size,
    duplicates: () => duplicates,
    badSignatures: () => badSignatures,
    waitFor(count: number): Promise<void> {
      if (delivered.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
