import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { applyS3rverFixes } from "./s3rver-fixes.ts";

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on a free 127.0.0.1 port, its data in a temporary folder. */
export async function startS3Server(): Promise<S3TestServer> {
  applyS3rverFixes();
  const folder = await mkdtemp(path.join(tmpdir(), "pressroom-s3-"));
  // The fixes write each object beside this data folder, on the same filesystem, then rename it in.
  const directory = path.join(folder, "data");
  const bucket = "pressroom-test";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    // Path-style only, as with MinIO; nothing here resolves bucket host names.
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    // s3rver checks signatures against this fixed pair.
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    async close() {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
