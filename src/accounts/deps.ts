import type { FeatureDeps } from "../core/deps.ts";

/** What the account services need; the portal passes its FeatureDeps, tests a controlled clock. */
export type AccountsDeps = Pick<
  FeatureDeps,
  "db" | "mailer" | "now" | "secret" | "log" | "afterAnswer" | "random"
> & {
  config: Pick<FeatureDeps["config"], "publicUrl" | "rateLimits">;
};

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
