/** Event addresses: `/en/events/2026-11-23-summit-press-conference`. */
import { slugify } from "../catalogue/slugify.ts";

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const maxLength = 80;

export function isValidSlug(slug: string): boolean {
  return slug.length <= maxLength && slugPattern.test(slug);
}

/** The slug an event gets when the editor leaves it empty: its date, then its title. */
export function eventSlug(date: string, title: string): string {
  return slugify(`${date} ${title}`);
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` says is free. */
export async function firstFreeSlug(
  base: string,
  taken: (slug: string) => Promise<boolean>,
): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, maxLength - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!(await taken(candidate))) return candidate;
  }
}
