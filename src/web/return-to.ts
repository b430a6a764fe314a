/**
 * The "return to the page you were on" address must be a path on this site: anything else
 * (another host, `//host`, `/\host`, a scheme) falls back to the home page, so a link to us can
 * never send a user elsewhere after they log in.
 *
 * The address is normalised first (dot segments, percent-encoded dots) and checked afterwards:
 * `/.//evil.example` and `/x/%2e%2e//evil.example` both normalise to `//evil.example`, which a
 * browser reads as another host (issue 8). What comes back is the normalised form, so what was
 * checked is what is sent.
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return fallback;
  // Browsers treat a backslash like a slash, and strip tabs and newlines, so `/\t/evil` is `//evil`.
  if (!value.startsWith("/") || value.includes("\\") || hasControlCharacter(value)) return fallback;
  const base = "http://pressroom.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  const path = url.pathname;
  if (url.origin !== base || !path.startsWith("/") || path.startsWith("//") || /%5c/i.test(path)) {
    return fallback;
  }
  return `${path}${url.search}${url.hash}`;
}

function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
