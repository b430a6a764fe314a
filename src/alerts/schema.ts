import { type Static, Type } from "@sinclair/typebox";

/** The JSON shapes of the saved searches' API (they validate requests and make the OpenAPI description). */

const AlertChoice = Type.Union([Type.Literal("none"), Type.Literal("immediate"), Type.Literal("daily")], {
  description: "none: feeds only; immediate: an e-mail per new item; daily: one digest a day at 07:00 UTC",
});

const FilterText = Type.String({ maxLength: 200 });

export const SearchFilters = Type.Object(
  {
    kind: Type.Optional(FilterText),
    event: Type.Optional(Type.String({ maxLength: 200, description: "The event's slug" })),
    speaker: Type.Optional(FilterText),
    language: Type.Optional(Type.String({ maxLength: 2, description: "en or fr" })),
    from: Type.Optional(Type.String({ maxLength: 10, description: "First day, YYYY-MM-DD" })),
    to: Type.Optional(Type.String({ maxLength: 10, description: "Last day included, YYYY-MM-DD" })),
    year: Type.Optional(Type.String({ maxLength: 4, description: "A whole year (instead of from and to)" })),
  },
  { additionalProperties: false, description: "The search page's filters" },
);

export const SavedSearchBody = Type.Object(
  {
    // As the service checks it (saved-searches.ts): the schema says the same limit.
    name: Type.String({ maxLength: 200 }),
    query: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Words as the search box takes them ("phrases", -word, OR)',
      }),
    ),
    filters: Type.Optional(SearchFilters),
    alert: Type.Optional(AlertChoice),
  },
  { additionalProperties: false },
);
export type SavedSearchBodyJson = Static<typeof SavedSearchBody>;

const FeedLinks = Type.Object({
  rss: Type.String({ description: "RSS 2.0 with Media RSS" }),
  ninjs: Type.String({ description: "A JSON list of IPTC ninjs 3.1 documents" }),
});

export const SavedSearchJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  query: Type.String(),
  filters: Type.Object({
    kind: Type.Optional(Type.String()),
    event: Type.Optional(Type.String()),
    speaker: Type.Optional(Type.String()),
    language: Type.Optional(Type.String()),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
  }),
  alert: AlertChoice,
  createdAt: Type.String({ format: "date-time" }),
  searchUrl: Type.String({ description: "The search page with this search" }),
  feeds: Type.Object(
    {
      ...FeedLinks.properties,
      token: Type.Optional(
        Type.String({ description: "The feed token, in the answer that made it only (it is not stored)" }),
      ),
    },
    {
      description:
        "The feeds' addresses. Only the answer that makes the search (or a new token) has the token in them; it is not kept, like API tokens",
    },
  ),
});
export type SavedSearchJsonType = Static<typeof SavedSearchJson>;

export const SavedSearchList = Type.Object({ savedSearches: Type.Array(SavedSearchJson) });
