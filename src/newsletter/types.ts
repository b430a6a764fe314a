import type { Localized } from "../catalogue/types.ts";

/** The newsletter's domain, as the pages, the job and the message see it. */

export type IssueStatus = "draft" | "sending" | "sent";

/** An event as it appears in one issue (copied from the catalogue, then edited for the issue). */
export type IssueEvent = {
  eventId: number | null;
  slug: string;
  startsAt: Date;
  place: Localized;
  title: Localized;
  summary: Localized;
};

/** What subscribers read: everything the message is made of. */
export type IssueContent = {
  subject: Localized;
  intro: Localized;
  events: IssueEvent[];
};

export type Issue = IssueContent & {
  id: number;
  status: IssueStatus;
  createdAt: Date;
  updatedAt: Date;
  sendStartedAt: Date | null;
  sentAt: Date | null;
};

/**
 * Where the recipients of an issue stand. `unknown` are messages that were being handed to
 * SMTP when a worker stopped: they may or may not have gone, so they wait for the editor.
 */
export type DeliveryCounts = {
  total: number;
  waiting: number;
  inProgress: number;
  unknown: number;
  sent: number;
  failed: number;
  skipped: number;
};

export type IssueSummary = {
  id: number;
  status: IssueStatus;
  subject: Localized;
  updatedAt: Date;
  sentAt: Date | null;
  counts: DeliveryCounts;
};
