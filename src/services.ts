import { randomBytes } from "node:crypto";
import { type AccountsDeps, createAfterAnswer } from "./accounts/deps.ts";
import { secret } from "./accounts/store.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { JobQueue } from "./db/jobs.ts";
import type { FeatureDeps } from "./features.ts";
import type { Mailer } from "./mail/transport.ts";
import type { Storage } from "./storage/storage.ts";

/** Everything the features share, built once per process (web or worker). */
export async function createFeatureDeps(input: {
  config: Config;
  db: Database;
  mailer: Mailer;
  storage: Storage;
  jobs: JobQueue;
  log: FeatureDeps["log"];
  now?: () => Date;
  random?: (max: number) => number;
}): Promise<FeatureDeps> {
  const now = input.now ?? (() => new Date());
  const accounts: AccountsDeps = {
    db: input.db,
    mailer: input.mailer,
    now,
    secret: await secret(input.db, "hmac", () => randomBytes(32).toString("hex")),
    publicUrl: input.config.publicUrl,
    limits: input.config.rateLimits,
    log: input.log,
    afterAnswer: createAfterAnswer(input.log),
    ...(input.random ? { random: input.random } : {}),
  };
  return { ...input, now, accounts };
}
