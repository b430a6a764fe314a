import { describe, expect, it } from "vitest";
import { codeMatches, hashCode, newCode } from "../../src/accounts/codes.ts";
import { unmetPasswordRules } from "../../src/accounts/password-policy.ts";
import { ConfigError, loadConfig } from "../../src/core/config.ts";
import { userErrorStatus } from "../../src/core/errors.ts";
import { errorMessage } from "../../src/web/error-handler.ts";
import { html, raw } from "../../src/web/html.ts";
import { en, fr, t, tCount } from "../../src/web/i18n.ts";
import { formatDate, formatDateTime } from "../../src/web/intl.ts";
import { safeReturnTo } from "../../src/web/return-to.ts";

describe("password rule", () => {
  it("accepts a password meeting every part", () => {
    expect(unmetPasswordRules("Correct-Horse-42!")).toEqual([]);
    expect(unmetPasswordRules("Élève-Modèle-2026")).toEqual([]);
  });
  it("names each unmet part", () => {
    expect(unmetPasswordRules("Aa1!Aa1!Aa1")).toEqual(["min_length"]);
    expect(unmetPasswordRules("Aa1! Aa1!Aa1!")).toEqual(["no_spaces"]);
    expect(unmetPasswordRules("aa1!aa1!aa1!")).toEqual(["uppercase"]);
    expect(unmetPasswordRules("AA1!AA1!AA1!")).toEqual(["lowercase"]);
    expect(unmetPasswordRules("Aaa!Aaa!Aaa!")).toEqual(["digit"]);
    expect(unmetPasswordRules("Aaa1Aaa1Aaa1")).toEqual(["symbol"]);
    expect(unmetPasswordRules("")).toEqual(["min_length", "uppercase", "lowercase", "digit", "symbol"]);
  });
});

describe("verification codes", () => {
  it("are six digits, with leading zeros kept", () => {
    expect(newCode(() => 42)).toBe("000042");
    expect(newCode()).toMatch(/^\d{6}$/);
  });
  it("match only for the same address, purpose and secret; spaces typed in are ignored", () => {
    const stored = hashCode("s3cret", "signup", "a@x.example", "123456");
    expect(stored).not.toContain("123456");
    expect(codeMatches("s3cret", "signup", "a@x.example", "123 456", stored)).toBe(true);
    expect(codeMatches("s3cret", "signup", "b@x.example", "123456", stored)).toBe(false);
    expect(codeMatches("s3cret", "reset", "a@x.example", "123456", stored)).toBe(false);
    expect(codeMatches("other", "signup", "a@x.example", "123456", stored)).toBe(false);
  });
});

describe("return-to address", () => {
  it("keeps paths on this site", () => {
    expect(safeReturnTo("/fr/events/summit?x=1#top", "/en")).toBe("/fr/events/summit?x=1#top");
  });
  it.each([
    "https://evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "",
    42,
    "evil",
  ])("refuses %j", (value) => {
    expect(safeReturnTo(value, "/en")).toBe("/en");
  });
});

describe("HTML escaping", () => {
  it("escapes every interpolated value unless it is markup we made", () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
    expect(html`<div>${raw("<b>ok</b>")}${[html`<i>1</i>`, "<2>"]}</div>`.value).toBe(
      "<div><b>ok</b><i>1</i>&lt;2&gt;</div>",
    );
  });
});

describe("translations", () => {
  it("has every message in French and English", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(fr)) expect(value, key).not.toBe("");
  });
  const otherSenses =
    /professionnels des médias|Les médias ne peuvent|équipe média|\(Média\)|Type de média|Organisation \/ média|Un contenu sous embargo/g;
  it("names the master and an item one way each in French: master, élément", () => {
    // Found by hand: "fichier original" beside "master", "média" and "contenu" beside "élément".
    const french = fr as Record<string, string>;
    const mixed = Object.entries(en).flatMap(([key, english]) => {
      const text = french[key] ?? "";
      const master = /\bmaster\b/i.test(english) && /fichier original/i.test(text);
      // "média" stays where it is the press or a medium, "contenu" where it is not an item.
      const other = text.replace(otherSenses, "");
      const item = /\bitems?\b/i.test(english) && /médias?|contenus?/i.test(other);
      return master || item ? [`${key}: ${text}`] : [];
    });
    expect(mixed).toEqual([]);
    expect(Object.values(french).filter((text) => /fichier original/i.test(text))).toEqual([]);
  });

  it("writes numbers the reader's way, but leaves years, small counts and ids as they are", () => {
    expect(t("en", "error.align_text_too_long", { chars: 2_056_830, max: 200_000 })).toContain(
      "2,056,830 characters, at most 200,000",
    );
    expect(t("fr", "error.align_text_too_long", { chars: 2_056_830, max: 200_000 })).toContain(
      "2\u202f056\u202f830 caractères",
    );
    expect(t("fr", "item.frames_per_second", { fps: 29.97 })).toBe("29,97 images/s");
    expect(t("en", "editor.transcript.count", { count: 2026 })).toBe("2026 sentences in the transcript.");
    expect(t("en", "downloads.mine.untitled", { id: 123_456 })).toBe("Item 123456");
  });
  it("says a count in the singular for 1, and in French for 0 too, in every message with a count", () => {
    // Found by hand: "Cet événement a encore 1 éléments", "This event still has 1 media items".
    // Said only of many (a cap, a fixed limit), or with no noun after the number ("position 2 of 3").
    const ofMany = new Set([
      "editor.programme.moved",
      "search.count_capped",
      "search.truncated",
      "transcript_search.showing",
      "error.live_ports_full",
    ]);
    const catalogue = en as Record<string, string>;
    const counts = Object.keys(en).filter((key) => /\{count\}/.test(catalogue[key] ?? ""));
    const withoutSingular = counts.filter(
      (key) => !key.endsWith("_one") && !(`${key}_one` in en) && !ofMany.has(key),
    );
    expect(withoutSingular).toEqual([]);

    expect(tCount("en", "error.event_has_items", 1)).toMatch(/still has 1 media item\. Move it /);
    expect(tCount("en", "error.event_has_items", 2)).toMatch(/still has 2 media items\. Move them /);
    expect(tCount("fr", "error.event_has_items", 1)).toMatch(/encore 1 élément\. Déplacez-le /);
    expect(tCount("fr", "error.event_has_items", 2)).toMatch(/encore 2 éléments\. Déplacez-les /);
    expect(tCount("en", "editor.programme.count", 0)).toBe("0 entries in the programme.");
    expect(tCount("fr", "editor.programme.count", 0)).toBe("0 entrée au programme.");
    expect(tCount("fr", "editor.programme.count", 1)).toBe("1 entrée au programme.");
    expect(tCount("fr", "editor.programme.count", 2)).toBe("2 entrées au programme.");
    expect(tCount("fr", "newsletter.subscribers", 0, { en: 0, fr: 0 })).toBe(
      "0 abonné : 0 en anglais, 0 en français.",
    );
    // The errors a user causes are said by their count wherever they are translated.
    expect(errorMessage("en", "code_invalid", { count: 1 })).toBe("That code is not right. 1 try left.");
    expect(errorMessage("fr", "code_invalid", { count: 1 })).toBe(
      "Ce code n'est pas le bon. Il vous reste 1 essai.",
    );
    expect(errorMessage("en", "resend_too_soon", { count: 1 })).toMatch(/Try again in 1 second\.$/);
    expect(errorMessage("fr", "too_many_attempts", { count: 1 })).toBe(
      "Trop de tentatives. Réessayez dans 1 minute.",
    );
    expect(errorMessage("en", "too_many_attempts", { count: 15 })).toBe(
      "Too many attempts. Try again in 15 minutes.",
    );
  });
  it("has a message for every error a user can cause", () => {
    for (const code of Object.keys(userErrorStatus)) {
      expect(en, code).toHaveProperty([`error.${code}`]);
      expect(fr, code).toHaveProperty([`error.${code}`]);
    }
  });
});

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: null,
      smtpUrl: null,
      secureCookies: false,
    });
    expect(config.publicUrl).toBe("http://127.0.0.1:3000");
    expect(config.dataDir).toMatch(/\/data$/);
  });
  it("lists every invalid setting in one clear message", () => {
    const load = () => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", SMTP_URL: "not a url" });
    expect(load).toThrowError(ConfigError);
    expect(load).toThrowError('PORT must be a whole number, got "eighty"');
    expect(load).toThrowError("DATABASE_URL must start with postgres:// or postgresql://");
    expect(load).toThrowError('SMTP_URL is not a valid URL: "not a url"');
  });
  it("reads the media tools and the job lease once, from the environment", () => {
    expect(loadConfig({})).toMatchObject({
      ffmpeg: { ffmpeg: "ffmpeg", ffprobe: "ffprobe" },
      jobs: { leaseSeconds: 60 },
    });
    const set = loadConfig({
      FFMPEG_PATH: "/opt/ff/ffmpeg",
      FFPROBE_PATH: "/opt/ff/ffprobe",
      JOB_LEASE_SECONDS: "5",
    });
    expect(set).toMatchObject({
      ffmpeg: { ffmpeg: "/opt/ff/ffmpeg", ffprobe: "/opt/ff/ffprobe" },
      jobs: { leaseSeconds: 5 },
    });
    expect(() => loadConfig({ JOB_LEASE_SECONDS: "1" })).toThrowError("JOB_LEASE_SECONDS must be at least 2");
  });
  it("uses secure cookies when the public address is https", () => {
    expect(loadConfig({ PUBLIC_URL: "https://press.example/" })).toMatchObject({
      secureCookies: true,
      publicUrl: "https://press.example",
    });
  });
});

describe("dates as readers write them", () => {
  it("writes the first of the month '1er' in French, and other days as they are", () => {
    expect(formatDate("fr", new Date("2026-12-01T10:00:00Z"))).toBe("1er décembre 2026");
    expect(formatDateTime("fr", new Date("2026-12-01T10:00:00Z"))).toBe("1er décembre 2026 à 10:00 UTC");
    expect(formatDate("fr", new Date("2026-12-21T10:00:00Z"))).toBe("21 décembre 2026");
    expect(formatDate("fr", new Date("2026-12-11T10:00:00Z"))).toBe("11 décembre 2026");
    expect(formatDate("en", new Date("2026-12-01T10:00:00Z"))).toBe("1 December 2026");
  });
});
