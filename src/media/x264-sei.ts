import { open } from "node:fs/promises";

// x264 writes its SEI in the first access unit; a few kilobytes past the packet start covers it.
const SEARCH_BYTES = 16 * 1024;
const MARKER = "x264 - core";

/**
 * The settings an x264-encoded master was made with ("cabac=1 ref=3 ..."), read from the SEI
 * x264 stores before its first picture; null for masters from any other encoder.
 */
export async function readX264Options(path: string, firstPacketOffset: number): Promise<string | null> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SEARCH_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SEARCH_BYTES, firstPacketOffset);
    return x264OptionsIn(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

/** The settings in x264's SEI found in these bytes of an H.264 stream (raw, or as a container stores it). */
export function x264OptionsIn(bytes: Buffer): string | null {
  const text = bytes.toString("latin1");
  const start = text.indexOf(MARKER);
  if (start === -1) return null;
  const options = text.indexOf("options: ", start);
  const end = text.indexOf("\0", start);
  if (options === -1 || end === -1 || options > end) return null;
  return text.slice(options + "options: ".length, end);
}
