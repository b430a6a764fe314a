import type { Database } from "../db/database.ts";
import type { JobQueue } from "../db/jobs.ts";
import type { Storage } from "../storage/storage.ts";
import type { AfterAnswer } from "./after-answer.ts";
import type { Config } from "./config.ts";
import type { Mailer } from "./mailer.ts";

export type Logger = {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

/**
 * What every feature (its routes, services and job handlers) gets, built once per process by
 * app/services.ts. Features take the part they need (`Pick<FeatureDeps, …>`), so tests can pass
 * just that.
 */
export type FeatureDeps = {
  config: Config;
  db: Database;
  storage: Storage;
  jobs: JobQueue;
  mailer: Mailer;
  now: () => Date;
  log: Logger;
  /** HMAC key of the server (codes, signed links), the same in every process (app_secrets). */
  secret: string;
  /** Work done after the answer has gone (e-mails), so its time tells nothing. */
  afterAnswer: AfterAnswer;
  /** Randomness that tests control (verification codes). */
  random?: (max: number) => number;
};

/** Opens what a command needs to do product work (app/services.ts); commands receive it. */
export type OpenServices = (
  config: Config,
  log: Logger,
) => Promise<{ deps: FeatureDeps; close(): Promise<void> }>;
