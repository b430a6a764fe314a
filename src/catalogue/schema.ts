import { type Static, Type } from "@sinclair/typebox";

/** JSON shapes of the catalogue API; they validate queries and describe answers in OpenAPI. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const LangParam = Type.Optional(
  Type.Union([Type.Literal("en"), Type.Literal("fr")], {
    description: "Language of the page links (url) and of error messages; Accept-Language by default",
  }),
);

export const Localized = Type.Object(
  { en: Type.String(), fr: Type.String() },
  { description: "The text in each language; empty where the editors wrote only the other one" },
);

const Timestamp = Type.String({ format: "date-time" });

export const EventSummaryJson = Type.Object({
  slug: Type.String(),
  title: Localized,
  startsAt: Timestamp,
  place: Localized,
  url: Type.String({ description: "The event's page" }),
});

export const EventJson = Type.Intersect([
  EventSummaryJson,
  Type.Object({
    endsAt: Nullable(Timestamp),
    summary: Localized,
    posterUrl: Nullable(Type.String()),
  }),
]);

export const ItemSummaryJson = Type.Object({
  id: Type.Integer(),
  mediaType: Type.Union([Type.Literal("video"), Type.Literal("audio"), Type.Literal("photo")]),
  kind: Type.String({ description: "press-conference, speech, doorstep, interview, b-roll, ..." }),
  title: Localized,
  status: Type.Union(
    [
      Type.Literal("awaiting_upload"),
      Type.Literal("uploaded"),
      Type.Literal("processing"),
      Type.Literal("ready"),
      Type.Literal("failed"),
    ],
    {
      description:
        "awaiting_upload: no file sent yet (POST /api/v1/uploads); uploaded: its file is in, waiting for processing (a live item: until its recording is processed, see live)",
    },
  ),
  recordedAt: Nullable(Timestamp),
  durationSeconds: Nullable(Type.Number()),
  embargoUntil: Nullable(Timestamp),
  playable: Type.Boolean({ description: "False while unpublished, embargoed or not ready" }),
  url: Type.String({ description: "The item's page" }),
  posterUrl: Nullable(Type.String()),
  event: Nullable(EventSummaryJson),
});

/** A bilingual event's transcript holds sentences said in the other language (issue 11). */
const SpokenLang = Type.Union([Type.Literal("en"), Type.Literal("fr")], {
  description:
    "The language the sentence is said in: lang, or the other one where a bilingual speech switches",
});

export const TranscriptSegmentJson = Type.Object({
  position: Type.Integer({ description: "The sentence's place in the transcript, from 0" }),
  start: Nullable(Type.Number({ description: "Seconds from the start of the video" })),
  end: Nullable(Type.Number()),
  speaker: Type.String(),
  question: Type.Boolean({ description: "A journalist's question in a Q&A: speaker is the journalist" }),
  outlet: Type.String({ description: "The journalist's outlet, for questions" }),
  lang: Type.Union([Type.Literal("en"), Type.Literal("fr")], {
    description: "The transcript the sentence belongs to",
  }),
  spokenLang: SpokenLang,
  text: Type.String(),
  words: Type.Array(
    Type.Object({
      text: Type.String({ description: "As in the text, punctuation attached" }),
      start: Type.Number({ description: "Seconds from the start of the master" }),
      end: Type.Number(),
    }),
    { description: "Each word's times, for a sentence timed automatically; empty otherwise" },
  ),
  review: Type.Optional(
    Type.Union([Type.Literal("unsure"), Type.Literal("unspoken")], {
      description:
        "For editors: the aligner was unsure where the sentence is, or did not find it spoken (then start and end are null)",
    }),
  ),
});

export const TranscriptTimingJson = Type.Object({
  lang: Type.Union([Type.Literal("en"), Type.Literal("fr")]),
  state: Type.Union([Type.Literal("aligning"), Type.Literal("aligned"), Type.Literal("failed")]),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  reason: Nullable(
    Type.Object(
      { code: Type.String(), message: Type.String() },
      { description: "Why timing failed, in the caller's language; the transcript in use was kept" },
    ),
  ),
  requestedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
});

export const LiveJson = Type.Object(
  {
    state: Type.Union([Type.Literal("waiting"), Type.Literal("live"), Type.Literal("ended")]),
    scheduledAt: Nullable(Timestamp),
    startedAt: Nullable(Timestamp),
    endedAt: Nullable(Timestamp),
    receivedSeconds: Type.Number({ description: "Seconds of the recording received so far (the live edge)" }),
    receiving: Type.Boolean({
      description:
        "Whether the encoder is sending now (a live whose sender went away waits for it to come back)",
    }),
    startTimecode: Nullable(Type.String({ description: "The recording's timecode on its first frame" })),
    hls: Nullable(
      Type.String({
        description: "The recording as HLS, from its start to the live edge; null when not playable",
      }),
    ),
    ingest: Type.Optional(
      Type.Object(
        {
          key: Type.String(),
          srt: Nullable(
            Type.String({ description: "srt:// address with the key as passphrase (caller mode)" }),
          ),
          rtmp: Nullable(Type.String({ description: "rtmp://…/live/KEY" })),
          health: Type.Object({
            protocol: Type.Optional(Type.String()),
            bitrateKbps: Type.Optional(Type.Number()),
            frameRate: Type.Optional(Type.Number()),
            droppedFrames: Type.Optional(Type.Number()),
            lastFrameAt: Type.Optional(Type.String({ format: "date-time" })),
          }),
          problem: Nullable(
            Type.String({ description: "Why the stream cannot be recorded: no_video, video_codec:NAME" }),
          ),
          gaps: Type.Array(Type.Object({ at: Type.Number(), missingSeconds: Type.Number() })),
        },
        { description: "For editors: where the encoder sends, and how the stream is doing" },
      ),
    ),
  },
  { description: "A live item (issue 12)" },
);

/** An item's texts and rights, as the catalogue and the editors' API both give them. */
export const itemTextsProperties = {
  description: Localized,
  shotList: Localized,
  usageTerms: Localized,
  credit: Type.String(),
  speakers: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
};

export const ItemJson = Type.Intersect([
  ItemSummaryJson,
  Type.Object({
    ...itemTextsProperties,
    statusReason: Nullable(Type.String({ description: "Why processing failed (English)" })),
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    frameRate: Nullable(Type.Object({ num: Type.Integer(), den: Type.Integer(), fps: Type.Number() })),
    startTimecode: Nullable(Type.String({ description: "The master's timecode on its first frame" })),
    audioTracks: Type.Array(
      Type.Object({
        index: Type.Integer(),
        label: Type.String(),
        channels: Type.Integer(),
        language: Nullable(Type.String()),
      }),
    ),
    previewUrl: Nullable(Type.String({ description: "HLS master playlist; null when not playable" })),
    transcript: Type.Array(TranscriptSegmentJson, { description: "Empty while embargoed" }),
    live: Type.Optional(LiveJson),
    transcriptTiming: Type.Optional(
      Type.Array(TranscriptTimingJson, {
        description: "For editors: automatic timing of the transcript, per language asked for (issue 11)",
      }),
    ),
  }),
]);

export const EventListQuery = Type.Object({
  lang: LangParam,
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
});

export const EventList = Type.Object({
  events: Type.Array(EventJson),
  page: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const EventDetailJson = Type.Object({
  event: Type.Intersect([EventJson, Type.Object({ body: Localized })]),
  programme: Type.Array(
    Type.Object({
      position: Type.Integer(),
      startsAt: Nullable(Timestamp),
      title: Localized,
      itemId: Nullable(Type.Integer({ description: "The item that recorded it, when visible" })),
    }),
  ),
  items: Type.Array(ItemSummaryJson),
});

export const LangQuery = Type.Object({ lang: LangParam });

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 2000,
      description:
        'Words (all must occur in the item, not necessarily in one sentence); "a phrase" as written; -word to exclude; OR between two words. Words beyond the twelfth are ignored (`truncated`).',
    }),
  ),
  lang: LangParam,
  kind: Type.Optional(Type.String({ maxLength: 50 })),
  event: Type.Optional(Type.String({ maxLength: 200, description: "Event slug" })),
  from: Type.Optional(Type.String({ format: "date", description: "First day (YYYY-MM-DD)" })),
  to: Type.Optional(Type.String({ format: "date", description: "Last day (YYYY-MM-DD)" })),
  speaker: Type.Optional(Type.String({ maxLength: 200, description: "Part of a speaker's name" })),
  language: Type.Optional(
    Type.Union([Type.Literal("en"), Type.Literal("fr")], { description: "Spoken or written language" }),
  ),
  sort: Type.Optional(
    Type.Union([Type.Literal("relevance"), Type.Literal("date")], {
      description:
        "Best first (titles and speakers, then density of the words, then recency), or newest first",
    }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 1 })),
});

const FacetJson = Type.Array(
  Type.Object({
    value: Type.String({ description: "The filter's value, as the query parameter takes it" }),
    count: Type.Integer(),
    label: Type.Optional(Type.Object({ en: Type.String(), fr: Type.String() })),
  }),
);

export const SearchAnswerJson = Type.Object({
  results: Type.Array(
    Type.Object({
      item: ItemSummaryJson,
      event: Nullable(EventSummaryJson),
      matchedIn: Type.Array(
        Type.Union([
          Type.Literal("title"),
          Type.Literal("transcript"),
          Type.Literal("description"),
          Type.Literal("event"),
        ]),
        { description: "Where the words were found, as far as the result shows it" },
      ),
      excerpt: Type.String({ description: "The matching passage of the description or shot list, or empty" }),
      hits: Type.Array(
        Type.Object({
          start: Nullable(Type.Number({ description: "Seconds from the start of the master" })),
          end: Nullable(Type.Number({ description: "Seconds from the start of the master" })),
          timecode: Nullable(
            Type.String({ description: "The master's timecode where the sentence starts, as HH:MM:SS:FF" }),
          ),
          text: Type.String({ description: "The matching sentence" }),
          speaker: Type.String(),
          lang: Type.Union([Type.Literal("en"), Type.Literal("fr")], {
            description: "The transcript the sentence belongs to",
          }),
          spokenLang: SpokenLang,
          url: Type.String({ description: "The item's page, playing from this sentence" }),
        }),
      ),
      moreHits: Type.Integer({ description: "Matching sentences beyond those listed" }),
    }),
  ),
  total: Type.Integer({ description: "Matching items, counted up to 1,000" }),
  capped: Type.Boolean({ description: "More items match than were counted" }),
  truncated: Type.Boolean({
    description: "The query had more words than a search takes; the rest were ignored",
  }),
  facets: Type.Object(
    {
      kind: FacetJson,
      event: FacetJson,
      speaker: FacetJson,
      language: FacetJson,
      year: FacetJson,
    },
    { description: "Counts of the matching items per filter value" },
  ),
  page: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const SuggestQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000, description: "What has been typed so far" })),
  lang: LangParam,
});

export const SuggestionsJson = Type.Object({
  suggestions: Type.Array(
    Type.Object({
      type: Type.Union([Type.Literal("speaker"), Type.Literal("event"), Type.Literal("item")]),
      label: Type.String(),
      path: Type.String({ description: "The page to open: a search by speaker, an event, an item" }),
      url: Type.String(),
    }),
  ),
});

export const TranscriptSearchQuery = Type.Object({
  q: Type.String({
    maxLength: 2000,
    description:
      'Words to find in the sentences (any of them marks a sentence); "a phrase" as written; -word to leave out sentences holding it. Words beyond the twelfth are ignored.',
  }),
  lang: LangParam,
});

export const TranscriptMatchesJson = Type.Object({
  matches: Type.Array(
    Type.Object({
      position: Type.Integer({ description: "The sentence's place in the transcript, from 0" }),
      start: Nullable(Type.Number({ description: "Seconds from the start of the master" })),
      end: Nullable(Type.Number({ description: "Seconds from the start of the master" })),
      timecode: Nullable(
        Type.String({ description: "The master's timecode where the sentence starts, as HH:MM:SS:FF" }),
      ),
      speaker: Type.String(),
      lang: Type.Union([Type.Literal("en"), Type.Literal("fr")], {
        description: "The transcript the sentence belongs to",
      }),
      spokenLang: SpokenLang,
      text: Type.String({ description: "The matching sentence" }),
      marks: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), {
        description: "The words found in text: [from, to) offsets in UTF-16 code units, as JavaScript counts",
      }),
      url: Type.String({ description: "The item's page, playing from this sentence" }),
    }),
    { description: "In the order they were spoken; the first 100" },
  ),
  total: Type.Integer({ description: "Every matching sentence, listed or not" }),
  truncated: Type.Boolean({
    description: "The query had more words than a search takes; the rest were ignored",
  }),
});

export type ItemSummaryJsonT = Static<typeof ItemSummaryJson>;
export type ItemJsonT = Static<typeof ItemJson>;
export type LiveJsonT = Static<typeof LiveJson>;
export type TranscriptTimingJsonT = Static<typeof TranscriptTimingJson>;
export type EventJsonT = Static<typeof EventJson>;
export type EventSummaryJsonT = Static<typeof EventSummaryJson>;
