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
};

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
