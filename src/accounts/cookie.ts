import type { FastifyReply, FastifyRequest } from "fastify";
import { SESSION_TTL_MS } from "./deps.ts";
import { FLOW_TTL_MS } from "./flows.ts";

/**
 * The account cookies. On https they carry the `__Host-` prefix, which browsers only accept
 * from a secure origin, for path /, without a Domain: a neighbouring subdomain cannot plant or
 * overwrite them.
 */
export type AccountCookie = "session" | "signup" | "reset";

export function cookieName(cookie: AccountCookie, secure: boolean): string {
  return `${secure ? "__Host-" : ""}pressroom_${cookie}`;
}

const lifetimes: Record<AccountCookie, number> = {
  session: SESSION_TTL_MS,
  signup: FLOW_TTL_MS,
  reset: FLOW_TTL_MS,
};

export function setAccountCookie(
  reply: FastifyReply,
  cookie: AccountCookie,
  value: string,
  secure: boolean,
): void {
  reply.setCookie(cookieName(cookie, secure), value, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure,
    maxAge: lifetimes[cookie] / 1000,
  });
}

export function clearAccountCookie(reply: FastifyReply, cookie: AccountCookie, secure: boolean): void {
  reply.clearCookie(cookieName(cookie, secure), { path: "/", httpOnly: true, sameSite: "lax", secure });
}

export function readAccountCookie(
  request: FastifyRequest,
  cookie: AccountCookie,
  secure: boolean,
): string | undefined {
  return request.cookies[cookieName(cookie, secure)];
}
