/**
 * Frees what the step before dropped (decoding's buffers, a search level's costs and
 * back-pointers) before the next step allocates its own: called before each search level
 * (coarse-to-fine.ts) and before the words are read (align.ts). The aligning process runs with
 * --expose-gc (in-child.ts): otherwise the collector ran late and two steps' arrays were resident
 * at once (46 minutes: a peak of 241–249 MB, 216–224 MB with it). A no-op where gc is not exposed.
 */
export function freeGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
