import type { RateLimits } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { Mailer } from "../mail/transport.ts";

/** What the account services need from outside; tests pass a controlled clock. */
export type AccountsDeps = {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  /** HMAC key for verification codes and unsubscribe links (from app_secrets). */
  secret: string;
  publicUrl: string;
  limits: RateLimits;
  log: { error(obj: object, msg: string): void };
  random?: (max: number) => number;
  /** Work done after the answer has gone (e-mails), so its time tells nothing about the address. */
  afterAnswer: AfterAnswer;
};

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type AfterAnswer = {
  run(work: () => Promise<void>): void;
  /** Resolves when everything started so far has finished (tests, orderly shut-down). */
  settled(): Promise<void>;
};

export function createAfterAnswer(log: AccountsDeps["log"]): AfterAnswer {
  const running = new Set<Promise<void>>();
  return {
    run(work) {
      const done: Promise<void> = Promise.resolve()
        .then(work)
        .catch((error: unknown) => log.error({ err: error }, "Work after the answer failed"))
        .finally(() => running.delete(done));
      running.add(done);
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
