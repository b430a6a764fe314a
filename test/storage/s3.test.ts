import { S3Storage } from "../../src/storage/s3.ts";
import { describeStorage } from "./contract.ts";
import { startS3Server } from "./s3-server.ts";

const partSize = 5 * 1024 * 1024;

describeStorage(
  "s3",
  async () => {
    const server = await startS3Server();
    const storage = new S3Storage({
      bucket: server.bucket,
      region: "us-east-1",
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      partSize,
    });
    return {
      storage,
      async close() {
        storage.close();
        await server.close();
      },
    };
  },
  // Past one part, so the multipart path runs too.
  partSize + 1024 * 1024,
);
