import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { UserError } from "../core/errors.ts";
import { addProblem, type FieldProblems } from "../web/form.ts";

/**
 * Where a webhook may send (issue 13, "bad input"): an https address on the public internet that
 * is not the portal itself and carries no credentials. Loopback, private, link-local, unique-local
 * and other special addresses are refused, IPv4 and IPv6 alike, including IPv4 inside IPv6
 * (mapped, NAT64, 6to4; IPv4-compatible and local-use NAT64 addresses outright), both when the
 * webhook is registered and at each delivery, where the connection goes to the very address that
 * was checked (`guardedLookup`), so a DNS answer that changes in between (rebinding) cannot reach
 * an internal service. WEBHOOKS_ALLOW_PRIVATE=1 (tests, closed networks) lifts the address and
 * https rules, never the others.
 */

const MAX_URL_LENGTH = 2000;

/**
 * IPv6 ranges refused whole, before ipaddr.js's classes are asked (it calls both plain "unicast"
 * or reads them wrongly): `::/96`, IPv4-compatible addresses (RFC 4291, deprecated), which reach
 * the IPv4 address in their last 32 bits where they are still routed or translated
 * (`::127.0.0.1`, `::169.254.169.254`); and `64:ff9b:1::/48`, NAT64 for local use (RFC 8215),
 * which leads into the operator's own network and whose IPv4 address may sit at any of RFC 6052's
 * offsets, not only the last 32 bits. `::` and `::1` are in `::/96` too.
 */
const refusedIpv6 = [ipaddr.parseCIDR("::/96"), ipaddr.parseCIDR("64:ff9b:1::/48")] as const;

/**
 * Whether a webhook may connect to `address` (an IPv4 or IPv6 literal): only addresses that
 * ipaddr.js classes as plain "unicast". An IPv6 address that carries an IPv4 one it leads to
 * (IPv4-mapped, the well-known NAT64 prefix `64:ff9b::/96`, 6to4) is judged by that IPv4
 * address; `refusedIpv6` and everything else of IPv6's special ranges (unique-local,
 * link-local, Teredo, documentation, ...) is refused.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return parsed.range() === "unicast";
  const v6 = parsed as ipaddr.IPv6;
  if (refusedIpv6.some((range) => v6.match(range))) return false;
  const bytes = v6.toByteArray();
  const embedded: Partial<Record<string, number[]>> = {
    ipv4Mapped: bytes.slice(12, 16),
    // Only 64:ff9b::/96 is left of ipaddr.js's rfc6052 class: its IPv4 address is the last 32 bits.
    rfc6052: bytes.slice(12, 16),
    "6to4": bytes.slice(2, 6),
  };
  const v4 = embedded[v6.range()];
  if (v4) return isPublicAddress(v4.join("."));
  return v6.range() === "unicast";
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
