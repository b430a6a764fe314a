import type { TObject, TSchema } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { UserError } from "../core/errors.ts";

/**
 * Fastify drops properties a schema does not list before the handler sees the body; a field
 * the API does not know (a typo, "titel") must be refused, not silently ignored. Checked
 * before validation, on objects the schema describes, every unknown field named. Used by every
 * JSON API that takes a body of named fields (the editors', the newsletter's).
 */
export function refuseUnknownFields(schema: TObject) {
  return async (request: FastifyRequest) => {
    const fields: Record<string, string[]> = {};
    const walk = (value: unknown, shape: TSchema, path: string) => {
      if (typeof value !== "object" || value === null) return;
      if (Array.isArray(value)) {
        // An array's entries are each checked against its `items` (the newsletter's events).
        const items = (shape as { items?: TSchema }).items;
        if (items) for (const [i, entry] of value.entries()) walk(entry, objectOf(items), `${path}/${i}`);
        return;
      }
      const properties = (shape as { properties?: Record<string, TSchema> }).properties;
      if (!properties) return;
      for (const [name, inner] of Object.entries(value)) {
        const at = path ? `${path}/${name}` : name;
        if (!(name in properties)) fields[at] = ["editor.error.field_unknown"];
        else walk(inner, objectOf(properties[name]!), at);
      }
    };
    walk(request.body, schema, "");
    if (Object.keys(fields).length > 0) throw new UserError("invalid_input", {}, fields);
  };
}

/** The object inside `T | null` (a nullable bilingual text), or the schema itself. */
function objectOf(schema: TSchema): TSchema {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  return anyOf?.find((s) => (s as { properties?: unknown }).properties) ?? schema;
}

/**
 * Runs a service call whose checks name problems as a form's fields (`title_en`, `e2_slug`); a
 * field problem it reports is thrown again under the names the API client sent (`title/en`,
 * `events/2/slug`), as schema errors are. Used by the editors' and the newsletter's APIs.
 */
export async function withFieldNames<T>(
  rename: (formName: string) => string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UserError) || Object.keys(error.fields).length === 0) throw error;
    const fields: Record<string, string[]> = {};
    for (const [name, keys] of Object.entries(error.fields)) {
      const key = rename(name);
      fields[key] = [...new Set([...(fields[key] ?? []), ...keys])];
    }
    throw new UserError(error.code, error.params, fields);
  }
}
