import type { Localized, MediaKind } from "../../catalogue/types.ts";

/** The demo content's shape: what an editor would type, plus how the generator should voice it. */

export type SpokenLang = "en" | "fr";

/**
 * How espeak-ng voices a person: a variant ("f3" gives "en+f3" in English, "fr+f3" in French,
 * so one person keeps their voice across languages), pitch 0–99 and words per minute.
 */
export type Voice = { variant: string; pitch: number; wordsPerMinute: number };

export type Person = { name: string; role: Localized; voice: Voice };

export type Journalist = { name: string; outlet: string; voice: Voice };

/** One person speaking without interruption; each sentence becomes one timed transcript segment. */
export type Turn =
  | { kind: "speech"; speaker: Person; lang: SpokenLang; sentences: string[] }
  | { kind: "question"; journalist: Journalist; lang: SpokenLang; sentences: string[] };

/** When, relative to the day the demo is loaded (so it always looks recent), in UTC. */
export type DemoTime = { dayOffset: number; time: `${number}:${number}` };

type ItemText = {
  /** Stable file name of the generated media, and the item's identity within its event. */
  key: string;
  kind: MediaKind;
  title: Localized;
  description: Localized;
  shotList: Localized;
  recordedAt: DemoTime;
};

export type DemoVideo = ItemText & {
  mediaType: "video";
  speakers: string[];
  languages: SpokenLang[];
  /** Empty for B-roll, which gets room tone instead of speech. */
  turns: Turn[];
  /** B-roll only: how long the picture runs. */
  seconds?: number;
};

export type DemoPhoto = ItemText & {
  mediaType: "photo";
  photographer: string;
  /** Two colours for the generated gradient, so the photos are told apart at a glance. */
  colours: [string, string];
};

export type DemoItem = DemoVideo | DemoPhoto;

export type ProgrammeEntry = { time: `${number}:${number}`; title: Localized; itemKey?: string };

export type DemoEvent = {
  slug: string;
  startsAt: DemoTime;
  endsAt: DemoTime;
  place: Localized;
  title: Localized;
  summary: Localized;
  body: Localized;
  programme: ProgrammeEntry[];
  items: DemoItem[];
};

export type DemoOrganisation = {
  name: Localized;
  credit: string;
  usageTerms: Localized;
};
