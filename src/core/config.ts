import path from "node:path";
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from "../db/settings.ts";
import type { FfmpegTools } from "../media/ffmpeg.ts";
import { type StorageConfig, storageConfigFromEnv } from "../storage/index.ts";

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: embedded PGlite in `dataDir/db`. */
  databaseUrl: string | null;
  publicUrl: string;
  /** Unset: each message is written to `dataDir/outbox` as an .eml file. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Secure cookies and HSTS follow from an https PUBLIC_URL. */
  secureCookies: boolean;
  rateLimits: RateLimits;
  /** Behind a load balancer: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  /** A local folder (DATA_DIR/storage) unless S3_BUCKET is set. */
  storage: StorageConfig;
  /** Where ffmpeg reads masters kept in S3 (one copy per master, for ingest and cuts alike). */
  mastersCacheDir: string;
  /** Load the demo events into an empty embedded catalogue at start (DEMO_CONTENT=off to skip). */
  demoContent: boolean;
  /** The embedded database (PGlite) runs inside the portal's process: its memory is the portal's. */
  pglite: {
    /** PostgreSQL's shared_buffers, its page cache, in MB. */
    sharedBuffersMb: number;
    /** V8 also compiles PGlite's hot WebAssembly with its optimising compiler: faster queries, more memory. */
    optimizeWasm: boolean;
  };
  downloads: {
    /** Finished clips kept for the next request; least recently used go first. */
    clipCacheBytes: number;
    /** Cuts running at once in one process; more wait their turn. */
    clipConcurrency: number;
  };
  /** ffmpeg and ffprobe (FFMPEG_PATH, FFPROBE_PATH), read once and passed to every media call. */
  ffmpeg: FfmpegTools;
  /** Anonymous catalogue pages and JSON: how long a shared cache may keep them (web/http-cache.ts). */
  httpCache: { maxAgeSeconds: number; staleSeconds: number; mediaMaxAgeSeconds: number };
  jobs: {
    /**
     * A running job renews its lease a few times per lease; one not renewed for this long (its
     * process died) is taken up again by any live process (db/job-worker.ts).
     */
    leaseSeconds: number;
  };
  /** Live press conferences (issue 12): where venue encoders send their streams. */
  live: {
    /**
     * SRT: the first of `srtPorts` ports (LIVE_SRT_PORT, LIVE_SRT_PORTS); each live item listens on
     * one of its own, since an SRT listener has one passphrase (the item's key). Null: off.
     */
    srtPort: number | null;
    srtPorts: number;
    /** RTMP: one port for every live item, told apart by the key in `rtmp://…/live/KEY`. Null: off. */
    rtmpPort: number | null;
    /** Host the listeners bind to (LIVE_HOST, by default HOST). */
    bindHost: string;
    /** A live whose sender has been gone this long ends by itself (LIVE_SENDER_GONE_SECONDS). */
    senderGoneSeconds: number;
  };
  webhooks: {
    /** WEBHOOKS_ALLOW_PRIVATE=1: http:// and loopback/private addresses accepted (tests, closed networks). */
    allowPrivate: boolean;
  };
};

export type RateLimits = {
  /** Requests a minute from one IP address to each account form or API route. */
  authPerIpPerMinute: number;
  /** Failed log-ins for one account within 15 minutes before log-in is refused. */
  loginFailuresPerAccount: number;
  /** Wrong codes for one account within an hour, across codes. */
  codeFailuresPerAccount: number;
};

/**
 * 16 MB, not PostgreSQL's 128 MB: PGlite's buffer pool lives in the portal's own memory (its
 * WebAssembly heap, which never shrinks), and with 128 MB the portal held ~450 MB idle. Pages the
 * pool misses are still in the operating system's file cache; search on a large catalogue is
 * ~5–10 % slower (bench/RESULTS.md, sections 3 and 4).
 */

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const port = integer(env, "PORT", 3000, problems);
  const host = env.HOST?.trim() || "127.0.0.1";
  const dataDir = path.resolve(env.DATA_DIR?.trim() || "./data");
  const databaseUrl = optionalUrl(env, "DATABASE_URL", ["postgres:", "postgresql:"], problems);
  const smtpUrl = optionalUrl(env, "SMTP_URL", ["smtp:", "smtps:"], problems);
  const publicUrl = optionalUrl(env, "PUBLIC_URL", ["http:", "https:"], problems) ?? `http://${host}:${port}`;
  const mailFrom = env.MAIL_FROM?.trim() || "Pressroom <no-reply@pressroom.localhost>";
  const rateLimits: RateLimits = {
    authPerIpPerMinute: integer(env, "RATE_LIMIT_AUTH_PER_IP", 30, problems),
    loginFailuresPerAccount: integer(env, "RATE_LIMIT_LOGIN_FAILURES", 10, problems),
    codeFailuresPerAccount: integer(env, "RATE_LIMIT_CODE_FAILURES", 15, problems),
  };
  const storage = storageConfigFromEnv(env, dataDir, problems);
  const clipCacheBytes = integer(env, "CLIP_CACHE_MB", 20_480, problems) * 1024 * 1024;
  const clipConcurrency = integer(env, "CLIP_CONCURRENCY", 2, problems);
  const sharedBuffersMb = integer(
    env,
    "PGLITE_SHARED_BUFFERS_MB",
    DEFAULT_PGLITE_SHARED_BUFFERS_MB,
    problems,
  );
  if (sharedBuffersMb < 1) problems.push("PGLITE_SHARED_BUFFERS_MB must be at least 1");
  const leaseSeconds = integer(env, "JOB_LEASE_SECONDS", 60, problems);
  if (leaseSeconds < 2) problems.push("JOB_LEASE_SECONDS must be at least 2");
  const httpCache = {
    maxAgeSeconds: integer(env, "HTTP_CACHE_MAX_AGE", 30, problems),
    staleSeconds: integer(env, "HTTP_CACHE_STALE_SECONDS", 300, problems),
    // A preview's files (video, segments, poster) in a shared cache outlive an unpublish or a new
    // embargo by at most this; a cache asks again with the ETag, a 304 while the item is public.
    mediaMaxAgeSeconds: integer(env, "MEDIA_CACHE_MAX_AGE", 60, problems),
  };
  const live = {
    srtPort: portOrOff(env, "LIVE_SRT_PORT", 9000, problems),
    srtPorts: Math.max(1, integer(env, "LIVE_SRT_PORTS", 20, problems)),
    rtmpPort: portOrOff(env, "LIVE_RTMP_PORT", 1935, problems),
    bindHost: env.LIVE_HOST?.trim() || host,
    senderGoneSeconds: integer(env, "LIVE_SENDER_GONE_SECONDS", 300, problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    publicUrl: publicUrl.replace(/\/+$/, ""),
    smtpUrl,
    mailFrom,
    secureCookies: publicUrl.startsWith("https:"),
    rateLimits,
    trustProxy: env.TRUST_PROXY === "1" || env.TRUST_PROXY === "true",
    storage,
    mastersCacheDir: path.join(dataDir, "cache", "masters"),
    demoContent: !isOff(env.DEMO_CONTENT),
    pglite: { sharedBuffersMb, optimizeWasm: isOn(env.PGLITE_OPTIMIZE_WASM) },
    downloads: { clipCacheBytes, clipConcurrency: Math.max(1, clipConcurrency) },
    ffmpeg: { ffmpeg: env.FFMPEG_PATH?.trim() || "ffmpeg", ffprobe: env.FFPROBE_PATH?.trim() || "ffprobe" },
    httpCache,
    jobs: { leaseSeconds },
    live,
    webhooks: { allowPrivate: isOn(env.WEBHOOKS_ALLOW_PRIVATE) },
  };
}

/** A port number, or null for "off". */
function portOrOff(env: Env, name: string, fallback: number, problems: string[]): number | null {
  if (isOff(env[name])) return null;
  const port = integer(env, name, fallback, problems);
  if (port < 1 || port > 65535) problems.push(`${name} must be a port (1-65535) or "off", got "${port}"`);
  return port;
}

function isOff(value: string | undefined): boolean {
  return ["off", "0", "false", "no"].includes((value ?? "").trim().toLowerCase());
}

function isOn(value: string | undefined): boolean {
  return ["on", "1", "true", "yes"].includes((value ?? "").trim().toLowerCase());
}

function integer(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return fallback;
  }
  return value;
}

function optionalUrl(env: Env, name: string, protocols: string[], problems: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (!protocols.includes(url.protocol)) {
      problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(" or ")}, got "${raw}"`);
      return null;
    }
  } catch {
    problems.push(`${name} is not a valid URL: "${raw}"`);
    return null;
  }
  return raw;
}
