import { UserError } from "../core/errors.ts";

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
