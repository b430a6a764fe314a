import { stat } from "node:fs/promises";
import path from "node:path";
import exifr from "exifr";
import sharp, { type Metadata } from "sharp";
import { CorruptMedia, NotAVideo, UnsupportedMedia } from "./errors.ts";

export const photoFormats = ["jpeg", "png", "tiff"] as const;
export type PhotoFormat = (typeof photoFormats)[number];

export interface PhotoInfo {
  format: PhotoFormat;
  /** As displayed, after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** IPTC Caption-Abstract, else EXIF ImageDescription, else XMP dc:description; "" when none. */
  caption: string;
  /** IPTC Credit, else By-line, else EXIF Artist; "" when none. */
  credit: string;
  copyright: string;
  takenAt: Date | null;
}

export interface WebSize {
  /** Rendition name and file stem: "large", "poster", "small". */
  name: string;
  file: string;
  width: number;
  height: number;
}

const sizes = [
  { name: "large", longEdge: 2048 },
  // The same size as a video's poster, so lists show photos and videos alike.
  { name: "poster", longEdge: 1280 },
  { name: "small", longEdge: 400 },
];

/** Reads an original's format and its caption and credit; anything but JPEG, PNG or TIFF is refused. */
export async function readPhoto(file: string): Promise<PhotoInfo> {
  if ((await stat(file)).size === 0) throw new NotAVideo("the file is empty", { reason: "empty" });
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch {
    throw new UnsupportedMedia("the file is not an image we can read", { detail: "not an image" });
  }
  const format = photoFormats.find((f) => f === meta.format);
  if (!format)
    throw new UnsupportedMedia(`${meta.format} images are not accepted`, { detail: String(meta.format) });
  if (!meta.width || !meta.height) throw new CorruptMedia("the image has no size");
  // Decoding the whole picture is the only way to find a truncated file before it is published.
  await sharp(file, { failOn: "truncated" })
    .resize(64)
    .toBuffer()
    .catch(() => {
      throw new CorruptMedia("the image is damaged or incomplete");
    });
  const tags = await readTags(file);
  const sideways = (meta.orientation ?? 1) >= 5;
  return {
    format,
    width: sideways ? meta.height : meta.width,
    height: sideways ? meta.width : meta.height,
    caption: first(tags.Caption, tags.ImageDescription, tags.description),
    credit: first(tags.Credit, tags.Byline, tags.Artist, tags.creator),
    copyright: first(tags.CopyrightNotice, tags.Copyright, tags.rights),
    takenAt: tags.DateTimeOriginal instanceof Date ? tags.DateTimeOriginal : null,
  };
}

/**
 * JPEG web sizes (never enlarged), upright, in sRGB, carrying caption and credit in EXIF so a
 * downloaded copy still says whose picture it is.
 */
export async function makeWebSizes(file: string, info: PhotoInfo, outDir: string): Promise<WebSize[]> {
  const made: WebSize[] = [];
  const exif = {
    IFD0: {
      ...(info.caption ? { ImageDescription: info.caption } : {}),
      ...(info.credit ? { Artist: info.credit } : {}),
      ...(info.copyright ? { Copyright: info.copyright } : {}),
    },
  };
  for (const size of sizes) {
    const out = path.join(outDir, `${size.name}.jpg`);
    const result = await sharp(file)
      .rotate()
      .resize({ width: size.longEdge, height: size.longEdge, fit: "inside", withoutEnlargement: true })
      .toColorspace("srgb")
      .withExif(exif)
      .jpeg({ quality: 82, mozjpeg: true })
      .toFile(out);
    made.push({ name: size.name, file: out, width: result.width, height: result.height });
  }
  return made;
}

type Tags = Record<string, unknown>;

async function readTags(file: string): Promise<Tags> {
  try {
    const tags: unknown = await exifr.parse(file, { iptc: true, xmp: true, tiff: true, exif: true });
    return tags && typeof tags === "object" ? (tags as Tags) : {};
  } catch {
    // Damaged metadata must not refuse a picture that decodes.
    return {};
  }
}

/** The first non-empty text; XMP gives language alternatives as { value } or arrays. */
function first(...values: unknown[]): string {
  for (const value of values) {
    const text = textOf(value);
    if (text) return text;
  }
  return "";
}

function textOf(value: unknown): string {
  if (typeof value === "string") return repairUtf8(value).trim();
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join(", ");
  if (value && typeof value === "object" && "value" in value)
    return textOf((value as { value: unknown }).value);
  return "";
}

/**
 * IPTC text is bytes; exifr reads them as Latin-1 even when the file declares UTF-8 (record 1:90),
 * as agencies' files do. Text that decodes cleanly as UTF-8 was UTF-8; anything else is kept.
 */
function repairUtf8(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text) || [...text].some((c) => c.charCodeAt(0) > 0xff)) return text;
  const decoded = Buffer.from(text, "latin1").toString("utf8");
  return decoded.includes("\ufffd") ? text : decoded;
}
