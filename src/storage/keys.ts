import type { ByteRange } from "./storage.ts";

/**
 * Keys often carry ids taken from requests and become file paths in local storage, so they are
 * checked here, in one place, before any implementation sees them.
 */
export class InvalidStorageKey extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid storage key ${JSON.stringify(key)}: ${reason}`);
    this.name = "InvalidStorageKey";
  }
}

// S3's own limit, in UTF-8 bytes; also keeps local paths well under PATH_MAX.
const maxKeyBytes = 1024;

/** Accepts "items/42/hls/720p/seg_00001.m4s"; throws InvalidStorageKey for anything else. */
export function checkKey(key: string): string {
  checkCharacters(key);
  for (const segment of key.split("/")) checkSegment(key, segment);
  return key;
}

/** A key, a key's beginning ("items/42/" or "items/42/seg_"), or "" for everything (list only). */
export function checkPrefix(prefix: string, { allowEmpty }: { allowEmpty: boolean }): string {
  if (prefix === "") {
    if (!allowEmpty) throw new InvalidStorageKey(prefix, "an empty prefix would match every object");
    return prefix;
  }
  checkCharacters(prefix);
  const segments = prefix.split("/");
  // The trailing "" after a final "/" is the folder form; the last segment may be partial.
  if (segments.at(-1) === "") segments.pop();
  for (const segment of segments) checkSegment(prefix, segment);
  return prefix;
}

export function checkRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range ${start}-${end}`);
  }
}

function checkCharacters(key: string): void {
  if (key === "") throw new InvalidStorageKey(key, "empty");
  if (Buffer.byteLength(key) > maxKeyBytes)
    throw new InvalidStorageKey(key, `longer than ${maxKeyBytes} bytes`);
  if (key.includes("\\")) throw new InvalidStorageKey(key, "backslash");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidStorageKey(key, "control character");
  if (key.startsWith("/")) throw new InvalidStorageKey(key, "absolute path");
}

function checkSegment(key: string, segment: string): void {
  if (segment === "") throw new InvalidStorageKey(key, "empty path segment");
  // Refusing every leading dot covers "." and ".." and keeps local storage's .tmp folder out of reach.
  if (segment.startsWith(".")) throw new InvalidStorageKey(key, `segment "${segment}" starts with a dot`);
}
