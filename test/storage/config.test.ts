import path from "node:path";
import { describe, expect, it } from "vitest";
import { createStorage, StorageConfigError, storageConfigFromEnv } from "../../src/storage/index.ts";

describe("storageConfigFromEnv", () => {
  it("uses a folder in the data directory when no bucket is set", async () => {
    const config = storageConfigFromEnv({}, "/srv/pressroom");
    expect(config).toEqual({ kind: "local", root: path.resolve("/srv/pressroom/storage") });
    expect((await createStorage(config)).kind).toBe("local");
  });

  it("uses S3 when S3_BUCKET is set, path-style by default for a custom endpoint", async () => {
    const config = storageConfigFromEnv(
      {
        S3_BUCKET: "press-media",
        S3_ENDPOINT: "http://minio.internal:9000",
        S3_ACCESS_KEY_ID: "key",
        S3_SECRET_ACCESS_KEY: "secret",
      },
      "/srv/pressroom",
    );
    expect(config).toEqual({
      kind: "s3",
      bucket: "press-media",
      region: "us-east-1",
      endpoint: "http://minio.internal:9000",
      forcePathStyle: true,
      credentials: { accessKeyId: "key", secretAccessKey: "secret" },
    });
    expect((await createStorage(config)).kind).toBe("s3");
  });

  it("leaves AWS its virtual-hosted style and default credential chain", () => {
    const config = storageConfigFromEnv({ S3_BUCKET: "press-media", S3_REGION: "eu-west-3" }, "/data");
    expect(config).toMatchObject({
      region: "eu-west-3",
      endpoint: null,
      forcePathStyle: false,
      credentials: null,
    });
    expect(storageConfigFromEnv({ S3_BUCKET: "b-1", S3_FORCE_PATH_STYLE: "true" }, "/d")).toMatchObject({
      forcePathStyle: true,
    });
  });

  it("lists every problem at once", () => {
    const env = {
      S3_BUCKET: "bad/bucket",
      S3_ENDPOINT: "minio:9000",
      S3_ACCESS_KEY_ID: "key",
      S3_FORCE_PATH_STYLE: "maybe",
    };
    const error = (() => {
      try {
        storageConfigFromEnv(env, "/data");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StorageConfigError);
    expect((error as StorageConfigError).problems).toEqual([
      'S3_BUCKET must be 3-255 letters, digits, dots, hyphens or underscores, got "bad/bucket"',
      'S3_ENDPOINT must start with http:// or https://, got "minio:9000"',
      "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together",
      'S3_FORCE_PATH_STYLE must be true or false, got "maybe"',
    ]);
    expect((error as Error).message).toContain("\n  - S3_ENDPOINT must start with");
  });

  it("adds its problems to the caller's list instead of throwing when given one", () => {
    const problems = ["PORT must be a whole number"];
    storageConfigFromEnv({ S3_ENDPOINT: "http://minio:9000" }, "/data", problems);
    expect(problems).toEqual([
      "PORT must be a whole number",
      "S3_ENDPOINT set but S3_BUCKET is not (S3 needs a bucket)",
    ]);
  });
});
