import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  attachmentDisposition,
  createStorage,
  StorageConfigError,
  storageConfigFromEnv,
} from "../../src/storage/index.ts";

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

describe("attachmentDisposition", () => {
  it("gives an ASCII name and the exact UTF-8 one", () => {
    expect(attachmentDisposition("Conférence « Été » (1).mp4")).toBe(
      `attachment; filename="Conference _ Ete _ (1).mp4"; filename*=UTF-8''Conf%C3%A9rence%20%C2%AB%20%C3%89t%C3%A9%20%C2%BB%20%281%29.mp4`,
    );
  });

  it("keeps quotes, separators and control characters out of the header", () => {
    expect(attachmentDisposition('../a"b\\c\r\nd.mxf')).toBe(
      `attachment; filename=".._a_b_c__d.mxf"; filename*=UTF-8''.._a%22b_c__d.mxf`,
    );
    expect(attachmentDisposition("  ")).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
