import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, open, rm, truncate, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES, FileChunkStream } from "../../src/storage/file-stream.ts";
import { LocalStorage } from "../../src/storage/index.ts";

// Read buffers are shared between downloads and reused once the response has written them: a
// buffer reused too early would show as wrong bytes in another download, so many run at once here,
// some reading slowly (their sockets fill up and hold chunks the longest).
describe("local storage reads with a sink (reused buffers)", () => {
  let root: string;
  let storage: LocalStorage;
  let bytes: Buffer;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "pressroom-file-stream-"));
    storage = new LocalStorage(root);
    bytes = randomBytes(8 * CHUNK_BYTES + 12_345);
    await writeFile(path.join(root, "master.mxf"), bytes);
    server = http.createServer(async (request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const start = Number(url.searchParams.get("start") ?? 0);
      const end = Number(url.searchParams.get("end") ?? bytes.length - 1);
      const body = await storage.read("master.mxf", { start, end }, { sink: response });
      body.on("error", () => response.destroy());
      body.pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it("sends the right bytes to many concurrent readers, fast and slow, whole and in ranges", async () => {
    const requests = Array.from({ length: 16 }, (_, i) => {
      const start = i % 4 === 0 ? 0 : 1000 * i + 7;
      const end = i % 4 === 1 ? bytes.length + 5000 : bytes.length - 1 - 333 * i;
      return { start, end, slow: i % 2 === 1 };
    });
    const results = await Promise.all(
      requests.map(({ start, end, slow }) => fetchBody(`${base}/?start=${start}&end=${end}`, slow)),
    );
    requests.forEach(({ start, end }, i) => {
      const expected = bytes.subarray(start, Math.min(end + 1, bytes.length));
      expect(results[i]!.length).toBe(expected.length);
      expect(sha256(results[i]!)).toBe(sha256(expected));
    });
  });

  it("reuses no buffer a slow sink still holds", async () => {
    // A sink that accepts several chunks at once (write returns true) and takes each one's bytes
    // only later, as a socket does: a buffer refilled before then would show here.
    const received: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 4 * CHUNK_BYTES,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          done();
        }, 2);
      },
    });
    const handle = await open(path.join(root, "master.mxf"), "r");
    await pipeline(new FileChunkStream(handle, { start: 0, end: bytes.length, sink }), sink);
    expect(sha256(Buffer.concat(received))).toBe(sha256(bytes));
  });

  it("fails, rather than ending early, when the file is shorter than when it was opened", async () => {
    const file = path.join(root, "shrinking.mxf");
    await writeFile(file, randomBytes(3 * CHUNK_BYTES));
    const handle = await open(file, "r");
    await truncate(file, CHUNK_BYTES + 10);
    const stream = new FileChunkStream(handle, { start: 0, end: 3 * CHUNK_BYTES });
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    await expect(
      new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject)),
    ).rejects.toThrow(/file ended at byte 262154/);
    expect(Buffer.concat(chunks).length).toBe(CHUNK_BYTES + 10);
  });
});

/** The whole body; a slow reader pauses after each chunk, so the server's socket stays full. */
function fetchBody(url: string, slow: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (slow) {
            response.pause();
            setTimeout(() => response.resume(), 2);
          }
        });
        response.on("end", () => resolve(Buffer.concat(chunks)));
        response.on("error", reject);
        response.on("aborted", () => reject(new Error("aborted")));
      })
      .on("error", reject);
  });
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
