import sharp from "sharp";
import { type RunOptions, runFfmpeg } from "../media/ffmpeg.ts";

export const photoFormat = { width: 1800, height: 1200 } as const;

export type PhotoInput = {
  colours: [string, string];
  /** Files holding the title (large, top) and caption (bottom): files, so no text needs filter escaping. */
  titleFile: string | null;
  captionFile: string | null;
  font: string | null;
  output: string;
};

/** A gradient "photo" with its caption drawn in, as one JPEG frame; pure, so it can be read without running. */
export function photoArgs(input: PhotoInput): string[] {
  const { width, height } = photoFormat;
  const [c0, c1] = input.colours;
  const gradient = `gradients=size=${width}x${height}:c0=${c0}:c1=${c1}:x0=0:y0=0:x1=${width}:y1=${height}:nb_colors=2`;
  const text = (file: string | null, placement: string) =>
    input.font && file
      ? [`drawtext=fontfile=${input.font}:textfile=${file}:expansion=none:fontcolor=white:${placement}`]
      : [];
  const filters = [
    ...text(input.titleFile, "fontsize=96:x=48:y=64:shadowcolor=black@0.5:shadowx=4:shadowy=4"),
    ...text(input.captionFile, "fontsize=44:box=1:boxcolor=black@0.6:boxborderw=18:x=48:y=h-th-64"),
  ];
  const vf = filters.length > 0 ? filters.join(",") : "null";
  return [
    "-f",
    "lavfi",
    "-i",
    gradient,
    "-vf",
    vf,
    "-frames:v",
    "1",
    "-q:v",
    "3",
    "-f",
    "image2",
    input.output,
  ];
}

export type PhotoMetadata = {
  title: { en: string; fr: string };
  caption: { en: string; fr: string };
  credit: string;
};

/**
 * Writes caption and credit where agencies' tools look for them: EXIF (ASCII, English) and
 * XMP (both languages), so ingest reads them as it would from a real photographer's file.
 */
export async function writePhotoMetadata(input: string, output: string, meta: PhotoMetadata): Promise<void> {
  await sharp(input)
    .withExif({
      IFD0: {
        ImageDescription: ascii(meta.caption.en),
        Artist: ascii(meta.credit),
        Copyright: ascii(meta.credit),
      },
    })
    .withXmp(xmp(meta))
    .jpeg({ quality: 85 })
    .toFile(output);
}

export async function renderPhoto(input: PhotoInput, options: RunOptions = {}): Promise<void> {
  await runFfmpeg(photoArgs(input), options);
}

function ascii(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\x20-\x7e]/g, "");
}

function xmp(meta: PhotoMetadata): string {
  const alt = (value: { en: string; fr: string }) =>
    `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value.en)}</rdf:li>` +
    `<rdf:li xml:lang="en">${escapeXml(value.en)}</rdf:li><rdf:li xml:lang="fr">${escapeXml(value.fr)}</rdf:li></rdf:Alt>`;
  return [
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">',
    `<dc:title>${alt(meta.title)}</dc:title>`,
    `<dc:description>${alt(meta.caption)}</dc:description>`,
    `<dc:rights>${alt({ en: meta.credit, fr: meta.credit })}</dc:rights>`,
    `<photoshop:Credit>${escapeXml(meta.credit)}</photoshop:Credit>`,
    "</rdf:Description></rdf:RDF></x:xmpmeta>",
  ].join("");
}

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
