/** Words of the master-upload island: the page hands them over translated, this fills them in. */

export type Messages = Record<string, string>;

export function say(messages: Messages, name: string, params: Record<string, string | number> = {}): string {
  return (messages[name] ?? name).replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** "1.4 GB" in English, "1,4 Go" in French: the browser knows each language's units. */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(lang, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

/** The code of an API error (`{"error": {"code"}}`); null when the body is not one (tus's own answers). */
export function apiErrorCode(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/**
 * The sentence of an API error (`{"error": {"message", "fields"}}`), already in the page's
 * language because requests carry its Accept-Language; null when the body is not one.
 */
export function apiErrorText(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; fields?: Record<string, unknown> } };
    const error = parsed.error;
    if (typeof error?.message !== "string") return null;
    const details = Object.values(error.fields ?? {})
      .flat()
      .filter((d): d is string => typeof d === "string");
    return [error.message, ...details].join(" ");
  } catch {
    return null;
  }
}
