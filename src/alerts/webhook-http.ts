import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { AddressRefused, assertLiteralAllowed, guardedLookup } from "./webhook-address.ts";

/**
 * One signed POST to a webhook's address. The receiver checks `X-Pressroom-Signature:
 * t=UNIX_SECONDS,v1=HEX`, HEX being HMAC-SHA256 with the webhook's secret (its UTF-8 bytes) of
 * `${t}.${body}`: the timestamp is signed with the body, so an old request replayed is told by
 * its `t`. `X-Pressroom-Delivery` is the same on every try of one delivery, to deduplicate.
 * Redirects are not followed (node:http never does): a 3xx is a failed try.
 */

export function signature(secret: string, unixSeconds: number, body: string): string {
  const hex = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${hex}`;
}

/**
 * A status code, or why there is none: `timeout`, `address_refused: ADDRESS` (our own refusals,
 * which the webhooks page words in the user's language) or the network's own error.
 */
export type PostResult = { statusCode: number } | { error: string };

/** What is read of an answer: enough to end it cleanly; its content is not kept. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function postSigned(
  url: URL,
  body: string,
  options: {
    secret: string;
    deliveryId: string;
    now: Date;
    timeoutMs: number;
    allowPrivate: boolean;
    signal?: AbortSignal;
  },
): Promise<PostResult> {
  try {
    assertLiteralAllowed(url, options.allowPrivate);
  } catch (error) {
    return Promise.resolve({ error: `address_refused: ${(error as AddressRefused).address}` });
  }
  const t = Math.floor(options.now.getTime() / 1000);
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    : AbortSignal.timeout(options.timeoutMs);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method: "POST",
        signal,
        lookup: guardedLookup(options.allowPrivate),
        // A fresh connection each time: a pooled one could be to an address checked earlier.
        agent: false,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "Pressroom-Webhooks/1",
          "x-pressroom-signature": signature(options.secret, t, body),
          "x-pressroom-delivery": options.deliveryId,
        },
      },
      (response) => {
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on("close", () => resolve({ statusCode: response.statusCode ?? 0 }));
        response.on("error", () => resolve({ statusCode: response.statusCode ?? 0 }));
      },
    );
    request.on("error", (error) => {
      const timedOut =
        signal.aborted && signal.reason instanceof DOMException && signal.reason.name === "TimeoutError";
      if (timedOut) resolve({ error: "timeout" });
      else if (error instanceof AddressRefused) resolve({ error: `address_refused: ${error.address}` });
      else resolve({ error: error.message });
    });
    request.end(body);
  });
}
