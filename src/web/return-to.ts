/**
 * The "return to the page you were on" address must be a path on this site: anything
 * else (another host, `//host`, `/\host`, a scheme) falls back to the home page, so a
 * link to us can never send a user elsewhere after they log in.
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  // Browsers treat a backslash like a slash, and strip tabs and newlines, so `/\t/evil` is `//evil`.
  if (!value.startsWith("/") || value.includes("\\") || hasControlCharacter(value)) return fallback;
  if (value.startsWith("//")) return fallback;
  const base = "http://pressroom.invalid";
  try {
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
