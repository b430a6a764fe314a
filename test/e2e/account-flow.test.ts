import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { codeFrom, type ReceivedMail } from "../helpers/smtp.ts";
import { BROWSER_TESTS, expectAccessible, launchBrowser, openContext, serve } from "./browser.ts";

/**
 * The whole account flow of DESIGN.md, in French, in a real Chromium against the real app on a
 * real port: create an account, verify it with the e-mailed code, subscribe to the newsletter,
 * log out, reset the password from the log-in page, and come back to the page the user was on.
 * Every page is checked with axe-core for WCAG 2.1 A/AA, and fields are found by their labels.
 */
describe("account flow in a browser (French)", BROWSER_TESTS, () => {
  let test: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    test = await startTestApp();
    base = await serve(test.app);
    browser = await launchBrowser();
    context = await openContext(browser, base, { locale: "fr-FR", timeoutMs: 10_000 });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await test?.close();
  });

  const path = () => {
    const url = new URL(page.url());
    return `${url.pathname}${url.search}`;
  };
  const nav = () => page.getByRole("navigation", { name: "Compte et langue" });
  const mainText = async () => (await page.getByRole("main").textContent()) ?? "";

  /** Waits for the page whose only h1 is `name`, then checks it with axe. */
  async function arriveAt(name: string, label: string) {
    await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
    await expectAccessible(page, label);
  }

  /** The raw header block of a mail, with folded lines unfolded. */
  const headersOf = (mail: ReceivedMail) => mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");

  it("registers, verifies, subscribes, resets the password and returns to the page", async () => {
    const email = "claire.martin@rtbf.example";
    const oldPassword = "Ancien-Mot-2026!";
    const newPassword = "Nouveau&Meilleur-42";

    // 1. The page the user was on.
    await page.goto(`${base}/fr/terms`);
    await arriveAt("Conditions d'utilisation", "terms");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");

    // 2. "Créer un compte" from the header.
    await nav().getByRole("link", { name: "Créer un compte", exact: true }).click();
    await arriveAt("Créer un compte", "registration form");
    expect(path()).toBe("/fr/register?returnTo=%2Ffr%2Fterms");

    // 3. The form, first with a weak password: the French rule messages are listed.
    await page.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("faible");
    await page.getByLabel("Nom complet", { exact: true }).fill("Claire Martin");
    await page.getByLabel("Organisation / média", { exact: true }).fill("RTBF");
    await page.getByLabel("Pays", { exact: true }).selectOption({ label: "Belgique" });
    await page.getByLabel("Langue préférée", { exact: true }).selectOption({ label: "Français" });
    // The terms are left unticked this once, so the checkbox's error state is checked too.
    await page.getByRole("button", { name: "Créer mon compte" }).click();

    const summary = page.getByRole("alert");
    await summary.getByRole("heading", { name: "Il y a un problème" }).waitFor();
    // Focused as the page opens, so it is seen (and heard) first.
    await page.waitForFunction(() => document.activeElement?.classList.contains("error-summary") === true);
    await expectAccessible(page, "registration form with errors");
    const problems = (await summary.textContent()) ?? "";
    expect(problems).toContain("Certaines informations manquent ou ne sont pas valides.");
    for (const rule of ["au moins 12 caractères", "une lettre majuscule", "un chiffre", "un symbole"])
      expect(problems).toContain(rule);
    expect(problems).not.toContain("une lettre minuscule");
    expect(problems).toContain("Vous devez accepter les conditions d'utilisation pour créer un compte.");
    const password = page.getByLabel("Mot de passe", { exact: true });
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    // The errors are read with the field: they are part of its accessible description.
    const describedBy = (await password.getAttribute("aria-describedby"))!.split(" ");
    expect(describedBy).toContain("password-error");
    expect(await page.locator("#password-error").textContent()).toContain("au moins 12 caractères");
    // Everything but the password was kept.
    expect(await page.getByLabel("Adresse e-mail", { exact: true }).inputValue()).toBe(email);
    expect(await page.getByLabel("Pays", { exact: true }).inputValue()).toBe("BE");
    expect(await page.getByLabel("Langue préférée", { exact: true }).inputValue()).toBe("fr");
    const terms = page.getByRole("checkbox", { name: "J'accepte les conditions d'utilisation" });
    expect(await terms.getAttribute("aria-invalid")).toBe("true");

    // 4. Now with a password that meets the rule, and the terms accepted.
    await password.fill(oldPassword);
    await terms.check();
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await arriveAt("Consultez votre boîte de réception et saisissez le code de vérification", "verify");
    expect(await mainText()).toContain("Le code expire au bout de 30 minutes.");
    expect(await page.getByRole("button", { name: "Envoyer un nouveau code" }).isVisible()).toBe(true);

    // 5. The code from the e-mail.
    const verification = await test.smtp.waitForMail(email, 0);
    expect(verification.parsed.subject).toMatch(/^Votre code de vérification Pressroom/);
    await page.getByLabel("Code de vérification", { exact: true }).fill(codeFrom(verification));
    await page.getByRole("button", { name: "Vérifier", exact: true }).click();

    // 6. Account created, with the newsletter offer.
    await arriveAt("Votre compte a été créé avec succès", "welcome");
    expect(await mainText()).toContain("télécharger nos vidéos en version intégrale ou partielle");
    await page.getByRole("heading", { level: 2, name: "Abonnez-vous à la lettre d'information" }).waitFor();
    await page.getByRole("button", { name: "M'abonner à la lettre d'information" }).click();
    await page.getByRole("status").getByText("Vous êtes abonné à la lettre d'information.").waitFor();
    await expectAccessible(page, "welcome, subscribed");
    expect(await page.getByRole("button", { name: "M'abonner à la lettre d'information" }).count()).toBe(0);

    const welcome = await test.smtp.waitForMail(email, 1);
    expect(welcome.parsed.subject).toBe("Vous êtes abonné à la lettre d'information de Pressroom");
    const headers = headersOf(welcome);
    expect(headers).toMatch(/^List-Unsubscribe: <http:\/\/pressroom\.test\/[^>]*unsubscribe[^>]*>/im);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);

    // "Continuer" goes back to the page the user was on, logged in.
    await page.getByRole("link", { name: "Continuer", exact: true }).click();
    await arriveAt("Conditions d'utilisation", "terms, logged in");
    expect(path()).toBe("/fr/terms");

    // 7. Log out.
    await nav().getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(`${base}/fr`);
    await nav().getByRole("link", { name: "Se connecter", exact: true }).waitFor();

    // 8. Back on the terms page, "Se connecter", then "Mot de passe oublié ?".
    await page.goto(`${base}/fr/terms`);
    await nav().getByRole("link", { name: "Se connecter", exact: true }).click();
    await arriveAt("Connexion", "login");
    expect(path()).toBe("/fr/login?returnTo=%2Ffr%2Fterms");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await arriveAt("Réinitialiser votre mot de passe", "reset: e-mail");

    await page.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await page.getByRole("button", { name: "M'envoyer un code" }).click();
    await page.getByLabel("Code de vérification", { exact: true }).waitFor();
    await expectAccessible(page, "reset: code");

    const reset = await test.smtp.waitForMail(email, 2);
    expect(reset.parsed.subject).toMatch(/^Votre code de réinitialisation Pressroom/);
    await page.getByLabel("Code de vérification", { exact: true }).fill(codeFrom(reset));
    await page.getByRole("button", { name: "Continuer", exact: true }).click();

    await page.getByLabel("Nouveau mot de passe", { exact: true }).waitFor();
    await expectAccessible(page, "reset: new password");
    await page.getByLabel("Nouveau mot de passe", { exact: true }).fill(newPassword);
    await page.getByRole("button", { name: "Enregistrer mon nouveau mot de passe" }).click();

    await arriveAt("Votre mot de passe a été mis à jour", "reset: done");

    // 9. The button goes back to the log-in page the user came from, with its returnTo.
    await page.getByRole("link", { name: "Revenir à la page où vous étiez" }).click();
    await arriveAt("Connexion", "login after reset");
    expect(path()).toBe("/fr/login?returnTo=%2Ffr%2Fterms");

    // The old password no longer works.
    await page.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(oldPassword);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await page
      .getByRole("alert")
      .getByText("L'adresse e-mail ou le mot de passe n'est pas correct.")
      .waitFor();
    await expectAccessible(page, "login with the old password");

    // The new one does, and brings the user back to the terms page.
    await page.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(newPassword);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await page.waitForURL(`${base}/fr/terms`);
    await arriveAt("Conditions d'utilisation", "terms, logged in again");
    await nav().getByRole("link", { name: "Mon compte", exact: true }).waitFor();
    expect(await nav().getByRole("link", { name: "Se connecter", exact: true }).count()).toBe(0);

    // 10. The account page shows the profile and the subscription.
    await nav().getByRole("link", { name: "Mon compte", exact: true }).click();
    await arriveAt("Mon compte", "account");
    expect(await mainText()).toContain(email);
    expect(await page.getByLabel("Nom complet", { exact: true }).inputValue()).toBe("Claire Martin");
    expect(await page.getByLabel("Pays", { exact: true }).inputValue()).toBe("BE");
    expect(await mainText()).toContain("Vous êtes abonné à la lettre d'information.");
  });
});
