import path from "node:path";
import { LocalStorage } from "./local.ts";
import type { Storage } from "./storage.ts";

export { InvalidStorageKey } from "./keys.ts";
export { LocalStorage } from "./local.ts";
export type { ByteRange, ObjectStat, PutOptions, Storage } from "./storage.ts";
export { RangeNotSatisfiable, StorageNotFound } from "./storage.ts";

export type StorageConfig =
  | { kind: "local"; root: string }
  | {
      kind: "s3";
      bucket: string;
      region: string;
      /** Unset: AWS itself. */
      endpoint: string | null;
      forcePathStyle: boolean;
      /** Unset: the AWS SDK's default chain (environment, instance role, ~/.aws). */
      credentials: { accessKeyId: string; secretAccessKey: string } | null;
    };

export class StorageConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid storage configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "StorageConfigError";
  }
}

type Env = Record<string, string | undefined>;

const s3Variables = [
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
  "S3_FORCE_PATH_STYLE",
];

/**
 * S3 when S3_BUCKET is set, otherwise the folder `dataDir/storage`. Each problem found is
 * pushed to `problems` when given (so config.ts can report them with its own); without it,
 * they are thrown together as a StorageConfigError.
 */
export function storageConfigFromEnv(env: Env, dataDir: string, problems?: string[]): StorageConfig {
  const found: string[] = [];
  const config = readConfig(env, dataDir, found);
  if (problems) problems.push(...found);
  else if (found.length > 0) throw new StorageConfigError(found);
  return config;
}

export async function createStorage(config: StorageConfig): Promise<Storage> {
  if (config.kind === "local") return new LocalStorage(config.root);
  // Loaded only for S3: the AWS SDK costs a process on local storage ~10 MB of memory.
  const { S3Storage } = await import("./s3.ts");
  return new S3Storage(config);
}

function readConfig(env: Env, dataDir: string, problems: string[]): StorageConfig {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) {
    const stray = s3Variables.filter((name) => env[name]?.trim());
    if (stray.length > 0) problems.push(`${stray.join(", ")} set but S3_BUCKET is not (S3 needs a bucket)`);
    return { kind: "local", root: path.resolve(dataDir, "storage") };
  }
  // Loose on purpose: older AWS buckets and other servers allow capitals and underscores.
  if (!/^[A-Za-z0-9._-]{3,255}$/.test(bucket)) {
    problems.push(`S3_BUCKET must be 3-255 letters, digits, dots, hyphens or underscores, got "${bucket}"`);
  }
  const endpoint = endpointUrl(env.S3_ENDPOINT?.trim(), problems);
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    problems.push("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together");
  }
  return {
    kind: "s3",
    bucket,
    region: env.S3_REGION?.trim() || "us-east-1",
    endpoint,
    // A custom endpoint is usually MinIO or Ceph, which want path-style unless told otherwise.
    forcePathStyle: flag(env, "S3_FORCE_PATH_STYLE", endpoint !== null, problems),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
  };
}

function endpointUrl(raw: string | undefined, problems: string[]): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return raw;
    problems.push(`S3_ENDPOINT must start with http:// or https://, got "${raw}"`);
  } catch {
    problems.push(`S3_ENDPOINT is not a valid URL: "${raw}"`);
  }
  return null;
}

function flag(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  problems.push(`${name} must be true or false, got "${env[name]}"`);
  return fallback;
}
