import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

export const CODE_TTL_MS = 30 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
export const RESEND_INTERVAL_MS = 60 * 1000;

export type FlowKind = "signup" | "reset";

/** Six digits, uniformly random, leading zeros kept. */
export function newCode(random: (max: number) => number = randomInt): string {
  return String(random(1_000_000)).padStart(6, "0");
}

/**
 * An HMAC keyed with a server secret: a leaked table alone cannot be brute-forced over
 * the million possible codes. The purpose and address are bound in, so a sign-up code
 * never resets a password, nor opens another address.
 */
export function hashCode(secret: string, kind: FlowKind, email: string, code: string): string {
  return createHmac("sha256", secret).update(`${kind}:${email}:${code}`).digest("hex");
}

export function codeMatches(
  secret: string,
  kind: FlowKind,
  email: string,
  code: string,
  storedHash: string,
): boolean {
  const given = Buffer.from(hashCode(secret, kind, email, normaliseCode(code)), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** People paste codes with spaces or type them with a dash: "123 456" is "123456". */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

export function looksLikeCode(code: string): boolean {
  return /^\d{6}$/.test(normaliseCode(code));
}
