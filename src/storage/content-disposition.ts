/**
 * `attachment` with the file name twice (RFC 6266): a plain ASCII one that every client reads,
 * and the exact UTF-8 one (RFC 5987) that modern browsers prefer, so "Conférence é.mp4" survives.
 */
export function attachmentDisposition(fileName: string): string {
  // Path separators and control characters would let a name choose a folder or break the header.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = fileName.replace(/[\u0000-\u001f\u007f/\\]/g, "_").trim() || "download";
  const ascii = clean
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["%]/g, "_");
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
