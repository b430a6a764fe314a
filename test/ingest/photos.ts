import sharp from "sharp";

/** A JPEG whose caption and credit are in EXIF (what cameras and most tools write). */
export async function jpegWithExif(file: string, caption: string, artist: string): Promise<void> {
  await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 30, g: 80, b: 140 } } })
    .withExif({ IFD0: { ImageDescription: caption, Artist: artist } })
    .jpeg()
    .toFile(file);
}

/**
 * A JPEG whose caption and credit are in IPTC (what agencies write), as Photoshop stores them:
 * an APP13 segment holding an 8BIM resource 0x0404 with the IPTC records, in UTF-8.
 */
export async function jpegWithIptc(caption: string, credit: string): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 800, height: 1200, channels: 3, background: "#777" } })
    .jpeg()
    .toBuffer();
  const dataset = (record: number, tag: number, value: Buffer) =>
    Buffer.concat([Buffer.from([0x1c, record, tag, value.length >> 8, value.length & 0xff]), value]);
  const iptc = Buffer.concat([
    dataset(1, 90, Buffer.from("\x1b%G", "latin1")), // coded character set: UTF-8
    dataset(2, 120, Buffer.from(caption, "utf8")),
    dataset(2, 110, Buffer.from(credit, "utf8")),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([
    Buffer.from("8BIM"),
    Buffer.from([0x04, 0x04, 0x00, 0x00]),
    size,
    iptc,
    iptc.length % 2 ? Buffer.from([0]) : Buffer.alloc(0),
  ]);
  const payload = Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), resource]);
  const header = Buffer.from([0xff, 0xed, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  // Right after the SOI marker, where readers look for metadata.
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}
