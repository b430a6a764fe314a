import type { Database } from "../db/database.ts";
import type { JobQueue } from "../db/jobs.ts";
import type { FfmpegTools } from "../media/ffmpeg.ts";
import type { KeyframeIndex } from "../media/keyframes.ts";
import type { MasterInfo } from "../media/probe.ts";
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
  /**
   * Prepares the clip headers sent ahead of a master's first clips. Downloads owns them; ingest
   * asks for them when a master is processed, through this (app/services.ts wires it), so
   * ingest does not import downloads.
   */
  warmClipHeaders: (warm: ClipHeaderWarmUp) => Promise<void>;
};

/** A master just processed, for the clip headers made ahead (downloads/clip-headers.ts). */
export interface ClipHeaderWarmUp {
  itemId: number;
  masterKey: string;
  /** The master as a file ffmpeg can open. */
  master: string;
  info: MasterInfo;
  index: KeyframeIndex;
  /** A folder for the short clips cut here; emptied afterwards. */
  workDir: string;
  signal?: AbortSignal;
  tools?: FfmpegTools;
  /** The encoder's x264 settings when the master does not start with them (a live's later stretch). */
  x264Options?: string;
}

/** Opens what a command needs to do product work (app/services.ts); commands receive it. */
export type OpenServices = (
  config: Config,
  log: Logger,
) => Promise<{ deps: FeatureDeps; close(): Promise<void> }>;
