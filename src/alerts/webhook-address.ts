import dns from "node:dns";
import net from "node:net";
import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems } from "../web/form.ts";

/**
 * Where a webhook may send (issue 13, "bad input"): an https address on the public internet that
 * is not the portal itself and carries no credentials. Loopback, private, link-local, unique-local
 * and other special addresses are refused, IPv4 and IPv6 alike, including IPv4 inside IPv6
 * (mapped, NAT64, 6to4), both when the webhook is registered and at each delivery, where the
 * connection goes to the very address that was checked (`guardedLookup`), so a DNS answer that
 * changes in between (rebinding) cannot reach an internal service. WEBHOOKS_ALLOW_PRIVATE=1
 * (tests, closed networks) lifts the address and https rules, never the others.
 */

const MAX_URL_LENGTH = 2000;

type Block = [bytes: number[], prefixBits: number];

const v4Blocks: Block[] = [
  [[0], 8], // "this" network
  [[10], 8],
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8],
  [[169, 254], 16], // link-local (cloud metadata services live here)
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24], // documentation
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4], // multicast
  [[240], 4], // reserved, and the broadcast address
];

const v6Blocks: Block[] = [
  [[0xfc], 7], // unique-local
  [[0xfe, 0x80], 10], // link-local
  [[0xfe, 0xc0], 10], // site-local (deprecated, still routed inside some networks)
  [[0xff], 8], // multicast
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64], // discard-only
];

function inBlock(bytes: number[], [prefix, bits]: Block): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 address (zone index dropped), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!net.isIPv6(text)) return null;
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes its two hexadecimal groups.
  const dotted = text.match(/^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const before = groups(halves[0]);
  const after = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - before.length - after.length : 0;
  const all = [...before, ...Array<string>(Math.max(0, fill)).fill("0"), ...after];
  if (all.length !== 8) return null;
  return all.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 0xff]);
}

/** Whether a webhook may connect to `address` (an IPv4 or IPv6 literal). */
export function isPublicAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const bytes = address.split(".").map(Number);
    return !v4Blocks.some((block) => inBlock(bytes, block));
  }
  const bytes = ipv6Bytes(address);
  if (!bytes) return false;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join(".");
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, which also covers :: and ::1).
  if (zeros(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || zeros(10, 12))) {
    return isPublicAddress(v4(12));
  }
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they carry.
  if (inBlock(bytes, [[0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96])) return isPublicAddress(v4(12));
  if (inBlock(bytes, [[0x20, 0x02], 16])) return isPublicAddress(v4(2));
  return !v6Blocks.some((block) => inBlock(bytes, block));
}

/** A delivery refused because of where the address leads. */
export class AddressRefused extends Error {
  readonly code = "WEBHOOK_ADDRESS_REFUSED";
  constructor(readonly address: string) {
    super(`${address} is not a public address`);
  }
}

type LookupAddress = { address: string; family: number };

async function resolveAll(hostname: string): Promise<LookupAddress[]> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) return [{ address: bare, family: net.isIP(bare) }];
  return dns.promises.lookup(bare, { all: true, verbatim: true });
}

/**
 * A `lookup` for node:http(s) that resolves the name, refuses it when any of its addresses is not
 * public, and hands the checked addresses to the connection, which then connects to one of them.
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    const wantAll =
      typeof options === "object" && options !== null && "all" in options && options.all === true;
    resolveAll(hostname).then(
      (addresses) => {
        const refused = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
        if (refused) {
          callback(new AddressRefused(refused.address), "", 4);
        } else if (addresses.length === 0) {
          callback(new Error(`${hostname} has no address`), "", 4);
        } else if (wantAll) {
          (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
        } else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
}

/** An IP literal in the URL is connected to without any lookup: it is checked here instead. */
export function assertLiteralAllowed(url: URL, allowPrivate: boolean): void {
  const bare = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && net.isIP(bare) && !isPublicAddress(bare)) {
    throw new AddressRefused(bare);
  }
}

const sameHost = (a: string, b: string) =>
  a.toLowerCase().replace(/\.$/, "") === b.toLowerCase().replace(/\.$/, "");

/**
 * The address a user typed, checked for registering: a `UserError` naming the field `url` with
 * each problem, in the user's language (web/error-handler.ts).
 */
export async function checkWebhookUrl(
  config: { publicUrl: string; webhooks: { allowPrivate: boolean } },
  raw: string,
): Promise<URL> {
  const problems: FieldProblems = {};
  const refuse = (key: string): never => {
    addProblem(problems, "url", key);
    throw new UserError("invalid_input", {}, problems);
  };
  const text = raw.trim();
  if (!text) refuse("field.required");
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    refuse("webhooks.url.invalid");
  }
  if (!url || text.length > MAX_URL_LENGTH || !["https:", "http:"].includes(url.protocol)) {
    return refuse("webhooks.url.invalid");
  }
  const { allowPrivate } = config.webhooks;
  if (url.protocol === "http:" && !allowPrivate) refuse("webhooks.url.https");
  if (url.username || url.password) refuse("webhooks.url.credentials");
  // With private addresses allowed (one machine, tests), the port tells the portal from a receiver beside it.
  const portal = new URL(config.publicUrl);
  const itself = allowPrivate
    ? sameHost(url.hostname, portal.hostname) && url.port === portal.port
    : sameHost(url.hostname, portal.hostname);
  if (itself) refuse("webhooks.url.portal");
  if (!allowPrivate) {
    const addresses = await resolveAll(url.hostname).catch(() => null);
    if (!addresses || addresses.length === 0) refuse("webhooks.url.unresolved");
    if (addresses?.some((a) => !isPublicAddress(a.address))) refuse("webhooks.url.private");
  }
  url.hash = "";
  return url;
}
