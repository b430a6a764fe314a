import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  otherStrongPassword,
  PageClient,
  startTestApp,
  strongPassword,
  type TestApp,
  textOf,
} from "../helpers/app.ts";
import { codeFrom } from "../helpers/smtp.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const form = (email: string, overrides: Record<string, string> = {}) => ({
  email,
  password: strongPassword,
  name: "Jean Dupont",
  organisation: "Le Quotidien",
  country: "FR",
  language: "fr",
  acceptTerms: "on",
  returnTo: "/fr/terms",
  ...overrides,
});

async function signUp(browser: PageClient, email: string): Promise<void> {
  await browser.get("/fr/register");
  const registered = await browser.submit("/fr/register", form(email));
  await browser.follow(registered);
  const verified = await browser.submit("/fr/verify", {
    email,
    code: codeFrom(await t.smtp.waitForMail(email)),
    returnTo: "/fr/terms",
  });
  await browser.follow(verified);
}

describe("account pages without JavaScript", () => {
  it("goes through sign-up, code and newsletter offer in French", async () => {
    const browser = new PageClient(t.app);
    const page = await browser.get("/fr/register?returnTo=%2Ffr%2Fterms");
    expect(page.statusCode).toBe(200);
    // The rule is shown before the user types.
    expect(textOf(page.body)).toContain(
      "Votre mot de passe doit comporter : au moins 12 caractères aucune espace ni caractère invisible",
    );

    const registered = await browser.submit("/fr/register", form("jean@lq.example"));
    expect(registered.statusCode).toBe(303);
    const verify = await browser.follow(registered);
    expect(textOf(verify.body)).toContain(
      "Consultez votre boîte de réception et saisissez le code de vérification",
    );
    expect(textOf(verify.body)).toContain("Vous n'avez pas reçu de code ? Envoyer un nouveau code");

    const code = codeFrom(await t.smtp.waitForMail("jean@lq.example"));
    const wrong = await browser.submit("/fr/verify", {
      email: "jean@lq.example",
      code: code === "999999" ? "000000" : "999999",
    });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain("Ce code n'est pas le bon. Il vous reste 4 essais.");

    const verified = await browser.submit("/fr/verify", {
      email: "jean@lq.example",
      code,
      returnTo: "/fr/terms",
    });
    expect(verified.statusCode).toBe(303);
    const welcome = await browser.follow(verified);
    expect(textOf(welcome.body)).toContain("Votre compte a été créé avec succès");
    expect(textOf(welcome.body)).toContain(
      "Vous pouvez désormais télécharger nos vidéos en version intégrale ou partielle.",
    );
    expect(welcome.body).toContain('href="/fr/terms"');

    const subscribed = await browser.follow(
      await browser.submit("/fr/newsletter/subscribe", { returnTo: "/fr/terms" }),
    );
    expect(textOf(subscribed.body)).toContain("Vous êtes abonné à la lettre d'information.");
    const mail = await t.smtp.waitForMail("jean@lq.example", 1);
    expect(mail.parsed.subject).toBe("Vous êtes abonné à la lettre d'information de Pressroom");
    // French sets a colon off with a no-break space.
    expect((await browser.get("/fr/account")).body).toContain(
      "Adresse e-mail\u00a0: <strong>jean@lq.example",
    );
    expect(mail.parsed.text).toMatch(/\u00a0: http/);
  });

  it("shows each unmet password rule and keeps what the user typed, except the password", async () => {
    const browser = new PageClient(t.app);
    await browser.get("/en/register");
    const res = await browser.submit("/en/register", {
      ...form("weak@x.example", { password: "alllowercase", name: "Ann <b>Lee</b>" }),
    });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("There is a problem");
    for (const rule of ["an upper-case letter", "a digit", "a symbol (such as ! ? # % &)"])
      expect(text).toContain(rule);
    expect(res.body).toContain('value="weak@x.example"');
    expect(res.body).not.toContain("alllowercase");
    // What the user typed comes back escaped, never as markup.
    expect(res.body).toContain('value="Ann &lt;b&gt;Lee&lt;/b&gt;"');
    expect(res.body).toContain('aria-invalid="true"');
    // The summary says which field each rule is about.
    expect(res.body).toContain('<li><a href="#password">Password: a digit</a></li>');
  });

  it("names the field of each empty box in the summary, and an empty password once", async () => {
    const browser = new PageClient(t.app);
    await browser.get("/fr/register");
    const res = await browser.submit("/fr/register", { email: "", password: "", name: "", organisation: "" });
    expect(res.statusCode).toBe(400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? "";
    expect(summary).toContain("Nom complet\u00a0: Ce champ est obligatoire.");
    expect(summary).toContain("Mot de passe\u00a0: Ce champ est obligatoire.");
    expect(summary.match(/href="#password"/g)).toHaveLength(1);
  });

  it("refuses a form without its CSRF token, and changes nothing", async () => {
    const browser = new PageClient(t.app);
    await browser.get("/en/register");
    const res = await browser.submit("/en/register", form("nocsrf@x.example"), { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain("This form has expired");
    await new Promise((r) => setTimeout(r, 200));
    expect(t.smtp.mailsTo("nocsrf@x.example")).toHaveLength(0);
  });

  it("resets a forgotten password and returns to the page the user was on, where the new password logs in", async () => {
    const browser = new PageClient(t.app);
    await signUp(browser, "forgot@x.example");
    await browser.submit("/fr/logout", {});
    expect(browser.cookies.has("pressroom_session")).toBe(false);

    const login = await browser.get("/fr/login?returnTo=%2Ffr%2Fterms");
    const resetLink = login.body.match(/href="(\/fr\/password-reset\?[^"]+)"/)![1]!.replace(/&amp;/g, "&");
    await browser.get(resetLink);
    const sent = await browser.follow(
      await browser.submit("/fr/password-reset", {
        email: "forgot@x.example",
        returnTo: "/fr/login?returnTo=%2Ffr%2Fterms",
      }),
    );
    expect(textOf(sent.body)).toContain(
      "Si un compte existe pour cette adresse, nous y avons envoyé un code.",
    );

    const code = codeFrom(await t.smtp.waitForMail("forgot@x.example", 1));
    const step3 = await browser.submit("/fr/password-reset/code", {
      email: "forgot@x.example",
      code,
      returnTo: "/fr/login?returnTo=%2Ffr%2Fterms",
    });
    expect(step3.statusCode).toBe(200);
    expect(textOf(step3.body)).toContain("Nouveau mot de passe");

    const weak = await browser.submit("/fr/password-reset/new", {
      email: "forgot@x.example",
      code,
      password: "weak",
      returnTo: "/fr/login?returnTo=%2Ffr%2Fterms",
    });
    expect(weak.statusCode).toBe(400);
    expect(textOf(weak.body)).toContain("au moins 12 caractères");

    const done = await browser.submit("/fr/password-reset/new", {
      email: "forgot@x.example",
      code,
      password: otherStrongPassword,
      returnTo: "/fr/login?returnTo=%2Ffr%2Fterms",
    });
    expect(done.statusCode).toBe(200);
    expect(textOf(done.body)).toContain("Votre mot de passe a été mis à jour");
    const back = done.body
      .match(/<a class="button" href="([^"]+)">Revenir à la page où vous étiez<\/a>/)![1]!
      .replace(/&amp;/g, "&");
    expect(back).toBe("/fr/login?returnTo=%2Ffr%2Fterms");

    await browser.get(back);
    const oldPassword = await browser.submit("/fr/login", {
      email: "forgot@x.example",
      password: strongPassword,
      returnTo: "/fr/terms",
    });
    expect(textOf(oldPassword.body)).toContain("L'adresse e-mail ou le mot de passe n'est pas correct.");
    const loggedIn = await browser.submit("/fr/login", {
      email: "forgot@x.example",
      password: otherStrongPassword,
      returnTo: "/fr/terms",
    });
    expect(loggedIn.statusCode).toBe(303);
    expect(loggedIn.headers.location).toBe("/fr/terms");
    expect(textOf((await browser.follow(loggedIn)).body)).toContain("Mon compte");
  });

  it("never redirects a log-in to another site", async () => {
    const browser = new PageClient(t.app);
    await signUp(browser, "redirect@x.example");
    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
    ]) {
      await browser.get(`/en/login?returnTo=${encodeURIComponent(evil)}`);
      const res = await browser.submit("/en/login", {
        email: "redirect@x.example",
        password: strongPassword,
        returnTo: evil,
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe("/en");
    }
  });

  it("sends a login with an unverified address on to the code page", async () => {
    const browser = new PageClient(t.app);
    await browser.get("/en/register");
    await browser.submit("/en/register", form("pending@x.example", { language: "en" }));
    await browser.get("/en/login");
    const res = await browser.submit("/en/login", { email: "pending@x.example", password: strongPassword });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/en\/verify\?email=pending%40x.example/);
  });

  it("lets a user change profile, language and password on My account; other sessions end", async () => {
    const browser = new PageClient(t.app);
    await signUp(browser, "profile@x.example");
    const second = new PageClient(t.app);
    await second.get("/en/login");
    await second.submit("/en/login", { email: "profile@x.example", password: strongPassword });
    expect(second.cookies.has("pressroom_session")).toBe(true);

    await browser.get("/fr/account");
    const saved = await browser.submit("/fr/account", {
      name: "Jean D.",
      organisation: "Le Soir",
      country: "BE",
      language: "en",
    });
    expect(saved.headers.location).toBe("/en/account?saved=profile");
    const page = await browser.follow(saved);
    expect(textOf(page.body)).toContain("Your changes have been saved.");
    expect(page.body).toContain('value="Le Soir"');

    const wrongCurrent = await browser.submit("/en/account/password", {
      currentPassword: "nope",
      newPassword: otherStrongPassword,
    });
    expect(wrongCurrent.statusCode).toBe(400);
    expect(textOf(wrongCurrent.body)).toContain("Your current password is not right.");
    // That page's address, reloaded: back to the account page, not a 404.
    const reloaded = await browser.get("/en/account/password");
    expect(reloaded.statusCode).toBe(303);
    expect(reloaded.headers.location).toBe("/en/account");

    const changed = await browser.submit("/en/account/password", {
      currentPassword: strongPassword,
      newPassword: otherStrongPassword,
    });
    expect(changed.headers.location).toBe("/en/account?saved=password");
    expect((await browser.get("/en/account")).statusCode).toBe(200);
    const secondAfter = await second.get("/en/account");
    expect(secondAfter.statusCode).toBe(303);
    expect(secondAfter.headers.location).toBe("/en/login?returnTo=%2Fen%2Faccount");
  });
});
