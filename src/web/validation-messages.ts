import type { FastifySchemaValidationError } from "fastify";
import { type Lang, t } from "./i18n.ts";

/**
 * A JSON schema's refusals (Fastify's validation, run by Ajv with every error listed) as one
 * sentence per field in the client's language, saying what is allowed: "Choose one of: en, fr.",
 * "At most 200 characters.". A union of literals fails once per branch and once as a whole; those
 * become the one list of the values it allows.
 */
export function validationFields(
  problems: readonly FastifySchemaValidationError[],
  lang: Lang,
): Record<string, string[]> {
  const byField = new Map<string, { allowed: string[]; messages: string[] }>();
  for (const problem of problems) {
    const params = (problem.params ?? {}) as Record<string, unknown>;
    const missing = "missingProperty" in params ? String(params.missingProperty) : null;
    const extra = "additionalProperty" in params ? String(params.additionalProperty) : null;
    const path = problem.instancePath.replace(/^\//, "");
    const named = missing ?? extra;
    const field = named ? (path ? `${path}/${named}` : named) : path || "body";
    const entry = byField.get(field) ?? { allowed: [], messages: [] };
    byField.set(field, entry);
    if (problem.keyword === "const") entry.allowed.push(String(params.allowedValue));
    else if (problem.keyword === "enum" && Array.isArray(params.allowedValues))
      entry.allowed.push(...params.allowedValues.map(String));
    // A nullable field's `null` branch failing says nothing about the value sent.
    else if (problem.keyword === "type" && params.type === "null") continue;
    else if (problem.keyword !== "anyOf")
      entry.messages.push(sentence(problem.keyword, params, missing, lang));
  }
  const invalid = t(lang, "field.invalid");
  const fields: Record<string, string[]> = {};
  for (const [field, { allowed, messages }] of byField) {
    const said = allowed.length
      ? [t(lang, "field.one_of", { values: [...new Set(allowed)].join(", ") })]
      : [];
    // "Not valid" only when nothing more telling was found.
    const telling = [...new Set([...said, ...messages])].filter((m) => m !== invalid);
    fields[field] = telling.length ? telling : [invalid];
  }
  return fields;
}

function sentence(
  keyword: string,
  params: Record<string, unknown>,
  missing: string | null,
  lang: Lang,
): string {
  if (missing) return t(lang, "field.required");
  if (keyword === "additionalProperties") return t(lang, "field.unknown");
  const limit = typeof params.limit === "number" ? params.limit : null;
  if (limit !== null) {
    if (keyword === "maxLength") return t(lang, "field.max_length", { limit });
    if (keyword === "minLength")
      return limit === 1 ? t(lang, "field.required") : t(lang, "field.min_length", { limit });
    if (keyword === "maximum") return t(lang, "field.maximum", { limit });
    if (keyword === "minimum") return t(lang, "field.minimum", { limit });
    if (keyword === "maxItems") return t(lang, "field.max_items", { limit });
  }
  if (keyword === "type" && params.type === "integer") return t(lang, "field.integer");
  if (keyword === "type" && params.type === "number") return t(lang, "field.number");
  if (keyword === "type" && params.type === "boolean") return t(lang, "field.boolean");
  if (keyword === "type" && params.type === "string") return t(lang, "field.string");
  if (keyword === "format" && params.format === "date-time") return t(lang, "field.date_time");
  if (keyword === "format" && params.format === "date") return t(lang, "field.date");
  if (keyword === "format" && params.format === "uri") return t(lang, "field.uri");
  return t(lang, "field.invalid");
}
