import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "../../src/accounts/sessions.ts";
import { apiToken } from "../editor/helpers.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { addAccount, addEvent, addSubscribers, subscriberEmail, waitFor } from "./fixtures.ts";

type Answer = { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown };
type Text = { en: string; fr: string };
type IssueAnswer = {
  id: number;
  status: "draft" | "sending" | "sent";
  subject: Text;
  intro: Text;
  events: { slug: string; startsAt: string; place: Text; title: Text; summary: Text }[];
  sentAt: string | null;
  recipients: { total: number; sent: number; waiting: number };
};
type ErrorAnswer = { error: { code: string; message: string; fields?: Record<string, string[]> } };

const BASE = "/api/v1/newsletter/issues";
const SUBSCRIBERS = 7;
let t: TestApp;
let token: string;
let mediaToken: string;

/** A request of the organisation's system, with its editor token. */
function api(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object, headers = {}) {
  return t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: { authorization: `Bearer ${token}`, accept: "application/json", ...headers },
  }) as Promise<Answer>;
}

const mailsTo = (address: string) => t.smtp.received.filter((m) => m.to === address);

beforeAll(async () => {
  t = await startTestApp({}, { work: true });
  const now = t.clock.now();
  const yesterday = new Date(now.getTime() - 86_400_000);
  await addEvent(t.db, { slug: "summit", startsAt: yesterday, publishedAt: now });
  await addEvent(t.db, { slug: "council", startsAt: yesterday, publishedAt: now });
  await addEvent(t.db, { slug: "hearing-draft", startsAt: yesterday, publishedAt: null });
  await addSubscribers(t.db, SUBSCRIBERS, now);
  token = await apiToken(t, "cms@org.example", "editor", "editor");
  mediaToken = await apiToken(t, "reporter@outlet.example", "media", "read");
}, 60_000);
afterAll(() => t.close());

describe("newsletter issues through the editors' JSON API", () => {
  it("drafts an issue, patches only what it names, refuses a stale If-Match, and names bad fields in French", async () => {
    const created = await api("POST", BASE, {
      subject: { en: "Week 48", fr: "Semaine 48" },
      events: [{ slug: "summit", title: { fr: "Le sommet" } }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const issue = created.json() as IssueAnswer;
    expect(issue.status).toBe("draft");
    expect(issue.subject).toEqual({ en: "Week 48", fr: "Semaine 48" });
    // What the caller left out is as a new issue starts: the usual introduction, the catalogue's texts.
    expect(issue.intro.en).not.toBe("");
    expect(issue.events).toHaveLength(1);
    expect(issue.events[0]!.title).toEqual({ en: "Event summit", fr: "Le sommet" });
    expect(issue.events[0]!.place).toEqual({ en: "Brussels", fr: "Bruxelles" });
    const etag = String(created.headers.etag);
    const read = await api("GET", `${BASE}/${issue.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(etag);

    const patched = await api(
      "PATCH",
      `${BASE}/${issue.id}`,
      { intro: { en: "  This week in Brussels.  " } },
      { "if-match": etag },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const after = patched.json() as IssueAnswer;
    expect(after.intro).toEqual({ en: "This week in Brussels.", fr: issue.intro.fr });
    expect(after.subject).toEqual(issue.subject);
    expect(after.events).toEqual(issue.events);
    expect(patched.headers.etag).not.toBe(etag);

    // Someone else's change came first: the old tag no longer matches and nothing changes.
    const stale = await api(
      "PATCH",
      `${BASE}/${issue.id}`,
      { subject: { en: "Lost" } },
      { "if-match": etag },
    );
    expect(stale.statusCode).toBe(412);
    expect(((await api("GET", `${BASE}/${issue.id}`)).json() as IssueAnswer).subject.en).toBe("Week 48");

    // The list replaces the events; one already there keeps its edited title.
    const listed = await api("PATCH", `${BASE}/${issue.id}`, {
      events: [{ slug: "council" }, { slug: "summit", summary: { en: "Ministers met." } }],
    });
    const reordered = listed.json() as IssueAnswer;
    expect(reordered.events.map((e) => e.slug)).toEqual(["council", "summit"]);
    expect(reordered.events[1]!.title.fr).toBe("Le sommet");
    expect(reordered.events[1]!.summary.en).toBe("Ministers met.");

    const wrong = await api(
      "PATCH",
      `${BASE}/${issue.id}`,
      { subject: { fr: " " }, events: [{ slug: "summit" }, { slug: "hearing-draft" }, { slug: "summit" }] },
      { "accept-language": "fr" },
    );
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as ErrorAnswer).error.fields).toEqual({
      "subject/fr": ["Saisissez l’objet."],
      "events/1/slug": ["Aucun événement publié n’a cette adresse."],
      "events/2/slug": ["Cet événement figure déjà dans ce numéro."],
    });
    const untitled = await api(
      "POST",
      BASE,
      { events: [{ slug: "summit", title: { en: "", fr: "" } }], titel: "x" },
      { "accept-language": "fr" },
    );
    expect(untitled.statusCode).toBe(400);
    expect((untitled.json() as ErrorAnswer).error.fields).toEqual({
      titel: ["Ce champ n'existe pas : vérifiez son nom."],
    });
    const noTitle = await api(
      "POST",
      BASE,
      { events: [{ slug: "summit", title: { en: "", fr: "" } }] },
      { "accept-language": "fr" },
    );
    expect((noTitle.json() as ErrorAnswer).error.fields).toEqual({
      "events/0/title/en": ["Donnez un titre à cet événement dans au moins une langue."],
    });
    const missing = await api("PATCH", `${BASE}/999999`, {}, { "accept-language": "fr" });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as ErrorAnswer).error.message).toBe(
      "Ce numéro de la lettre d’information n’existe pas.",
    );
    // Without a body, a draft as the workspace starts one.
    const plain = await api("POST", BASE);
    expect(plain.statusCode, plain.body).toBe(201);
    expect((plain.json() as IssueAnswer).subject.en).toMatch(/^Pressroom newsletter — /);
    const unchanged = (await api("GET", `${BASE}/${issue.id}`)).json() as IssueAnswer;
    expect(unchanged.subject.fr).toBe("Semaine 48");
    expect(unchanged.events.map((e) => e.slug)).toEqual(["council", "summit"]);
  });

  it("sends a test to the calling editor, then the issue to every subscriber once; a media account is refused", async () => {
    const issue = (
      await api("POST", BASE, { subject: { en: "Week 49", fr: "Semaine 49" } })
    ).json() as IssueAnswer;
    // A new issue starts with the latest published events, never a draft of the catalogue.
    expect(issue.events.map((e) => e.slug).sort()).toEqual(["council", "summit"]);

    const tested = await api("POST", `${BASE}/${issue.id}/test`);
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toEqual({ sentTo: "cms@org.example" });
    await waitFor(async () => mailsTo("cms@org.example").length === 2);
    expect(
      mailsTo("cms@org.example")
        .map((m) => m.parsed.subject)
        .sort(),
    ).toEqual(["[Test] Semaine 49", "[Test] Week 49"]);
    expect(mailsTo(subscriberEmail(0))).toHaveLength(0);

    // A newsroom's read token is not an editor's, whatever it asks.
    const media = (method: "GET" | "POST", url: string) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${mediaToken}` } });
    expect((await media("GET", BASE)).statusCode).toBe(403);
    expect((await media("GET", `${BASE}/${issue.id}`)).statusCode).toBe(403);
    expect((await media("POST", `${BASE}/${issue.id}/send`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: BASE })).statusCode).toBe(401);

    // An editor's session may send too, from our own client (a header no other site can send).
    const editorId = await addAccount(t.db, { email: "desk@org.example", role: "editor" }, t.clock.now());
    const cookie = `pressroom_session=${await startSession(t.deps, editorId)}`;
    const send = (headers: Record<string, string>) =>
      t.app.inject({ method: "POST", url: `${BASE}/${issue.id}/send`, headers: { cookie, ...headers } });
    expect((await send({})).statusCode).toBe(403);
    const sent = await send({ "x-requested-with": "XMLHttpRequest" });
    expect(sent.statusCode, sent.body).toBe(202);
    const sending = sent.json() as IssueAnswer;
    expect(sending.status).not.toBe("draft");
    expect(sending.recipients.total).toBe(SUBSCRIBERS);
    // A second call (or another system) adds nobody; a sent issue no longer changes.
    const again = await api("POST", `${BASE}/${issue.id}/send`);
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorAnswer).error.code).toBe("issue_not_draft");
    expect((await api("PATCH", `${BASE}/${issue.id}`, { subject: { en: "Late" } })).statusCode).toBe(409);
    // A sent issue's record stays; a draft can be deleted.
    expect((await api("DELETE", `${BASE}/${issue.id}`)).statusCode).toBe(409);
    const spare = (await api("POST", BASE, {})).json() as IssueAnswer;
    expect((await api("DELETE", `${BASE}/${spare.id}`)).statusCode).toBe(204);
    expect((await api("GET", `${BASE}/${spare.id}`)).statusCode).toBe(404);

    await waitFor(
      async () => ((await api("GET", `${BASE}/${issue.id}`)).json() as IssueAnswer).status === "sent",
    );
    const done = (await api("GET", `${BASE}/${issue.id}`)).json() as IssueAnswer;
    expect(done.recipients).toMatchObject({ total: SUBSCRIBERS, sent: SUBSCRIBERS, waiting: 0 });
    expect(done.sentAt).not.toBeNull();
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const mails = mailsTo(subscriberEmail(i));
      expect(mails, subscriberEmail(i)).toHaveLength(1);
      expect(mails[0]!.parsed.subject).toBe(i % 3 === 0 ? "Semaine 49" : "Week 49");
    }
    expect(mailsTo("desk@org.example")).toHaveLength(0);
    const list = (await api("GET", BASE)).json() as { subscribers: Text; issues: IssueAnswer[] };
    expect(list.issues.find((i) => i.id === issue.id)?.status).toBe("sent");
  }, 60_000);

  it("describes every route in the OpenAPI document", async () => {
    const doc = (await t.app.inject({ url: "/api/v1/openapi.json" })).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const routes = [
      [BASE, "get"],
      [BASE, "post"],
      [`${BASE}/{id}`, "get"],
      [`${BASE}/{id}`, "patch"],
      [`${BASE}/{id}`, "delete"],
      [`${BASE}/{id}/test`, "post"],
      [`${BASE}/{id}/send`, "post"],
    ] as const;
    for (const [path, method] of routes)
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(["newsletter"]);
  });
});
