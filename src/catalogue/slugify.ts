/** Lower-case ASCII words of `text`, accents dropped ("Sommet à Bruxelles" → "sommet-a-bruxelles"): safe in URLs and file names. */
export function slugify(text: string, maxLength = 80): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
}
