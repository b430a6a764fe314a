import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PageClient, registration, startTestApp, type TestApp, textOf } from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: "https://press.example", RATE_LIMIT_AUTH_PER_IP: "5" });
});
afterAll(() => t.close());

describe("the portal's frame", () => {
  it("answers /healthz with 200 while the database is reachable", async () => {
    const res = await t.app.inject({ url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("sends / to the browser's language", async () => {
    const fr = await t.app.inject({ url: "/", headers: { "accept-language": "fr-CA,fr;q=0.9,en;q=0.5" } });
    expect(fr.headers.location).toBe("/fr");
    const en = await t.app.inject({ url: "/", headers: { "accept-language": "de-DE,en;q=0.5" } });
    expect(en.headers.location).toBe("/en");
    const none = await t.app.inject({ url: "/" });
    expect(none.headers.location).toBe("/en");
  });

  it("offers the same page in the other language on every page", async () => {
    const res = await t.app.inject({ url: "/en/login?returnTo=%2Fen%2Fterms" });
    expect(res.body).toContain(
      'href="/fr/login?returnTo=%2Fen%2Fterms" lang="fr" hreflang="fr">Français</a>',
    );
    const fr = await t.app.inject({ url: "/fr/register" });
    expect(fr.body).toContain('<html lang="fr">');
    expect(fr.body).toContain('href="/en/register" lang="en" hreflang="en">English</a>');
  });

  it("sets security headers: CSP with frame-ancestors, no-sniff, referrer policy, HSTS on https", async () => {
    const res = await t.app.inject({ url: "/en" });
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(res.headers["strict-transport-security"]).toContain("max-age=");
  });

  it("marks session and CSRF cookies HttpOnly, SameSite=Lax and Secure when PUBLIC_URL is https", async () => {
    const email = "secure@x.example";
    const registered = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/register",
      payload: registration(email),
    });
    expect(String(registered.headers["set-cookie"])).toMatch(
      /^__Host-pressroom_signup=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    const verified = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/verify",
      payload: { email, code: codeFrom(await t.smtp.waitForMail(email)), signup: registered.json().signup },
    });
    const session = String(verified.headers["set-cookie"]);
    // `__Host-`: only this origin, over https, for path / and no Domain, can set it.
    expect(session).toMatch(
      /__Host-pressroom_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    expect(session).not.toMatch(/Domain=/i);
    const page = await t.app.inject({ url: "/en/login" });
    expect(String(page.headers["set-cookie"])).toMatch(
      /^__Host-csrf=.*Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
  });

  it("limits account form posts per IP address, with a translated message", async () => {
    const codes: number[] = [];
    let last = "";
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        payload: { email: `flood${i}@x.example` },
        headers: { "accept-language": "fr" },
      });
      codes.push(res.statusCode);
      last = res.body;
    }
    expect(codes.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(codes.slice(5)).toEqual([429, 429]);
    expect(JSON.parse(last).error.message).toMatch(/^Trop de tentatives/);
  });

  it("shows a page not found in the page's language", async () => {
    const browser = new PageClient(t.app);
    const res = await browser.get("/fr/nothing-here");
    expect(res.statusCode).toBe(404);
    expect(textOf(res.body)).toContain("Page introuvable");
    // A program is told there is nothing there, not that a page is missing; and a post without
    // the header that proves it is not a cross-site form is told what to send.
    const api = await t.app.inject({ url: "/api/v1/nothing", headers: { "accept-language": "fr" } });
    expect(api.json().error).toEqual({ code: "not_found", message: "Il n’y a rien à cette adresse." });
    const plain = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(plain.statusCode).toBe(403);
    expect(plain.json().error.message).toMatch(/must carry the header X-Requested-With/);
  });

  it("describes the API with OpenAPI, including every account route", async () => {
    const res = await t.app.inject({ url: "/api/v1/openapi.json" });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const route of [
      "/api/v1/auth/register",
      "/api/v1/auth/verify",
      "/api/v1/auth/resend",
      "/api/v1/auth/login",
      "/api/v1/auth/logout",
      "/api/v1/auth/password-reset",
      "/api/v1/auth/password-reset/confirm",
      "/api/v1/me",
      "/api/v1/me/newsletter",
    ]) {
      expect(Object.keys(spec.paths)).toContain(route);
    }
    expect(spec.paths["/api/v1/me/newsletter"]).toHaveProperty("put");
    expect(spec.paths["/api/v1/me/newsletter"]).toHaveProperty("delete");
    expect(Object.keys(spec.paths).some((p: string) => p.startsWith("/en"))).toBe(false);
    // A newcomer reads the list of operations by their summaries: none is left without one.
    const unnamed = Object.entries(
      spec.paths as Record<string, Record<string, { summary?: string }>>,
    ).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !operation.summary)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(unnamed).toEqual([]);
  });
});
