import { type Static, Type } from "@sinclair/typebox";

/** The JSON shapes of the newsletter's API (issue 13): they validate requests and make the OpenAPI description. */

const Timestamp = Type.String({ format: "date-time", description: "ISO 8601 with its offset" });
const Bilingual = Type.Object({ en: Type.String(), fr: Type.String() });
/** Each language optional: a PATCH changes only those named. */
const BilingualInput = Type.Object(
  { en: Type.Optional(Type.String()), fr: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const IssueEventInput = Type.Object(
  {
    slug: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "A published event; its date and place come from the catalogue",
    }),
    title: Type.Optional(BilingualInput),
    summary: Type.Optional(BilingualInput),
  },
  { additionalProperties: false },
);

export const IssueBody = Type.Object(
  {
    subject: Type.Optional(BilingualInput),
    intro: Type.Optional(BilingualInput),
    events: Type.Optional(
      Type.Array(IssueEventInput, {
        maxItems: 100,
        description:
          "The events the issue lists, in order, the whole list; an event already in the issue keeps its edited title and summary unless given. Left out: unchanged (a new issue starts with the latest published events)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type IssueInput = Static<typeof IssueBody>;

const Counts = Type.Object(
  {
    total: Type.Integer(),
    waiting: Type.Integer(),
    inProgress: Type.Integer(),
    unknown: Type.Integer({ description: "Handed to SMTP when a worker stopped: may or may not have gone" }),
    sent: Type.Integer(),
    failed: Type.Integer(),
    skipped: Type.Integer(),
  },
  { description: "Where the recipients stand; all 0 for a draft" },
);
const Status = Type.Union([Type.Literal("draft"), Type.Literal("sending"), Type.Literal("sent")]);
const Sent = Type.Union([Timestamp, Type.Null()]);

export const IssueJson = Type.Object(
  {
    id: Type.Integer(),
    status: Status,
    subject: Bilingual,
    intro: Bilingual,
    events: Type.Array(
      Type.Object({
        slug: Type.String(),
        startsAt: Timestamp,
        place: Bilingual,
        title: Bilingual,
        summary: Bilingual,
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    sendStartedAt: Sent,
    sentAt: Sent,
    recipients: Counts,
  },
  { $id: "NewsletterIssue" },
);
export type IssueAnswer = Static<typeof IssueJson>;

export const IssueListJson = Type.Object(
  {
    subscribers: Type.Object(
      { en: Type.Integer(), fr: Type.Integer() },
      { description: "Who an issue sent now would reach, by the language they read" },
    ),
    issues: Type.Array(
      Type.Object({
        id: Type.Integer(),
        status: Status,
        subject: Bilingual,
        updatedAt: Timestamp,
        sentAt: Sent,
        recipients: Counts,
      }),
    ),
  },
  { $id: "NewsletterIssues" },
);

export const TestSentJson = Type.Object({
  sentTo: Type.String({ description: "The calling editor's address, which received both language versions" }),
});
