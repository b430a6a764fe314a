import { Transform, type TransformCallback } from "node:stream";

/** A pass-through that counts what flows, so putStream can say how many bytes it stored. */
export function byteCounter(): Transform & { readonly bytes: number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.defineProperty(counter, "bytes", { get: () => bytes }) as Transform & {
    readonly bytes: number;
  };
}
