import type { AccountsDeps } from "./accounts/deps.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { JobQueue } from "./db/jobs.ts";
import type { Mailer } from "./mail/transport.ts";
import type { Storage } from "./storage/storage.ts";

/** What every feature plugin (catalogue, editor, ingest, downloads) and job handler gets. */
export type FeatureDeps = {
  config: Config;
  db: Database;
  storage: Storage;
  jobs: JobQueue;
  mailer: Mailer;
  now: () => Date;
  accounts: AccountsDeps;
  log: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
};
