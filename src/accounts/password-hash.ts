import argon2 from "argon2";
import { normalisePassword } from "./password-policy.ts";

// OWASP's first recommended Argon2id setting (19 MiB, 2 passes) keeps a log-in near 30 ms on one core.
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(normalisePassword(password), options);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, normalisePassword(password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/** Spends the time of a real check when there is no account, so timing does not tell. */
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-Aa1!");
  await verifyPassword(await dummyHash, password);
}
