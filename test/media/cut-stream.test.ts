import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { canStreamClip } from "../../src/media/clip-output.ts";
import { cutClipStream, InitSegmentMismatch } from "../../src/media/cut-stream.ts";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { sameInitSegment } from "../../src/media/fmp4-init.ts";
import type { ClipFormat } from "../../src/media/formats.ts";
import {
  CLOSED_COMPLETE,
  headerMetadataSpan,
  LABELS,
  localFields,
  sameLabel,
  writeField,
} from "../../src/media/mxf-klv.ts";
import { withStartTimecode } from "../../src/media/mxf-stream.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, proresMaster, type TestMaster, xdcamMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";
import { expectCompletedMxf, headerPartition, mxfPartitions, mxfUmids } from "./mxf-check.ts";

const dir = useTempDir();

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Streams a cut, and checks the bytes read are the output file's and the file is faithful. */
async function streamed(master: TestMaster, inFrame: number, outFrame: number, format: ClipFormat) {
  const cut = await prepareCut(dir(), master, { inFrame, outFrame, format });
  const { stream, done } = cutClipStream(cut.options);
  const [bytes, result] = await Promise.all([collect(stream), done]);
  expect(bytes.equals(await readFile(cut.output))).toBe(true);
  // The edit list in the fragmented file keeps the first picture at zero despite B-frames.
  const probe = (await runFfprobeJson(["-select_streams", "v", "-show_streams", cut.output])) as {
    streams: { start_time?: string }[];
  };
  expect(Number(probe.streams[0]?.start_time)).toBe(0);
  return { output: cut.output, result, bytes };
}

/** The clip of frames 63..139 that the header tests cut, checked against the master. */
function expectExactFrom63(master: TestMaster, clip: string, encodedFrames: number) {
  return expectFaithfulClip({
    master,
    clip,
    inFrame: 63,
    outFrame: 140,
    copiedFrames: 77 - encodedFrames,
    soundClock: "timestamps",
  });
}

describe("cutClipStream", { timeout: HEAVY }, () => {
  it("streams an H.264 smart cut as fragmented MP4, frame-exact, the same bytes as the file", async () => {
    const master = await h264Master();
    const { output, result } = await streamed(master, 51, 101, "original");
    expect(result).toMatchObject({ method: "smart", frames: 50, startTimecode: "01:00:02:01" });
    await expectFaithfulClip({
      master,
      clip: output,
      inFrame: 51,
      outFrame: 101,
      copiedFrames: 50 - result.encodedFrames,
      soundClock: "timestamps",
    });
  });

  it("streams a ProRes copy as fragmented MOV with PCM and timecode", async () => {
    const master = await proresMaster();
    const { output, result } = await streamed(master, 13, 61, "original");
    expect(result).toMatchObject({ method: "copy", frames: 48, startTimecode: "10:00:00:13" });
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 61, copiedFrames: 48 });
    expect((await probeMaster(output)).audio.map((a) => a.codec)).toEqual(["pcm_s24le", "pcm_s24le"]);
  });

  it("streams a conversion to H.264 MP4", async () => {
    const master = await proresMaster();
    const { output, result } = await streamed(master, 7, 52, "mp4");
    expect(result.method).toBe("reencode");
    await expectFaithfulClip({
      master,
      clip: output,
      inFrame: 7,
      outFrame: 52,
      copiedFrames: 0,
      soundClock: "timestamps",
    });
  });

  it("sends the header of an earlier clip ahead, in place of ffmpeg's, and the clip stays exact", async () => {
    const master = await h264Master();
    const earlier = await prepareCut(dir(), master, { inFrame: 51, outFrame: 101, format: "original" });
    const first = cutClipStream(earlier.options);
    await Promise.all([collect(first.stream), first.done]);
    const template = await first.init;
    expect(template).not.toBeNull();
    if (template === null) return;

    const cut = await prepareCut(dir(), master, { inFrame: 63, outFrame: 140, format: "original" });
    const { stream, done, init } = cutClipStream(cut.options, template);
    const [bytes, result] = await Promise.all([collect(stream), done]);
    const own = await init;
    // ffmpeg's own header differs in its bit-rate hints only, and the reader got the template.
    expect(own !== null && !own.equals(template) && sameInitSegment(own, template)).toBe(true);
    expect(bytes.subarray(0, template.length).equals(template)).toBe(true);
    expect(bytes.equals(await readFile(cut.output))).toBe(true);
    await expectExactFrom63(master, cut.output, result.encodedFrames);
  });

  it("breaks the reader off when the header sent ahead was wrong, and still completes the file", async () => {
    const master = await h264Master();
    // Another master's header: another frame rate, so other timescales and durations.
    const other = await prepareCut(dir(), await h264Master({ rate: "29.97" }), {
      inFrame: 61,
      outFrame: 101,
      format: "original",
    });
    const first = cutClipStream(other.options);
    await Promise.all([collect(first.stream), first.done]);
    const wrong = await first.init;
    expect(wrong).not.toBeNull();

    const cut = await prepareCut(dir(), master, { inFrame: 63, outFrame: 140, format: "original" });
    const { stream, done } = cutClipStream(cut.options, wrong);
    const read = collect(stream);
    await expect(read).rejects.toBeInstanceOf(InitSegmentMismatch);
    await expectExactFrom63(master, cut.output, (await done).encodedFrames);
  });

  it("says which formats can stream: MXF too, not WAV or MP3", async () => {
    const info = await probeMaster((await xdcamMaster()).path);
    expect(canStreamClip("original", info)).toBe(true);
    expect(canStreamClip("mxf", info)).toBe(true);
    expect(canStreamClip("wav", info)).toBe(false);
    expect(canStreamClip("mp3", info)).toBe(false);
    expect(canStreamClip("mp4", info)).toBe(true);
    expect(canStreamClip("prores", info)).toBe(true);
  });

  it("leaves no file when aborted, and fails the stream instead of ending it", async () => {
    const master = await h264Master();
    const controller = new AbortController();
    const cut = await prepareCut(
      dir(),
      master,
      { inFrame: 51, outFrame: 140, format: "prores" },
      { signal: controller.signal },
    );
    const before = await readdir(dir());
    const { stream, done } = cutClipStream(cut.options);
    const read = collect(stream);
    stream.once("data", () => controller.abort());
    await expect(done).rejects.toBeDefined();
    await expect(read).rejects.toBeDefined();
    expect(await readdir(dir())).toEqual(before);
  });
});

async function packetCounts(path: string): Promise<(string | undefined)[]> {
  const probe = (await runFfprobeJson(["-count_packets", "-show_streams", path])) as {
    streams: { nb_read_packets?: string }[];
  };
  return probe.streams.map((s) => s.nb_read_packets);
}

let earlierXdcam: Promise<{ bytes: Buffer; header: Buffer; method: string }> | null = null;

/** A clip of the XDCAM master copied from its I-picture at 72 to its end, cut once: its header is the next clips' template. */
function earlierXdcamClip(): Promise<{ bytes: Buffer; header: Buffer; method: string }> {
  earlierXdcam ??= (async () => {
    const first = await prepareCut(dir(), await xdcamMaster(), {
      inFrame: 72,
      outFrame: 100,
      format: "original",
    });
    const earlier = cutClipStream(first.options);
    const [bytes, result] = await Promise.all([collect(earlier.stream), earlier.done]);
    const header = await earlier.init;
    if (header === null) throw new Error("the clip had no header");
    return { bytes, header, method: result.method };
  })();
  return earlierXdcam;
}

describe("cutClipStream to MXF", { timeout: HEAVY }, () => {
  it("streams an XDCAM smart cut as OP1a whose footer completes its open header, frame-exact; the cached file is it closed", async () => {
    const master = await xdcamMaster();
    const cut = await prepareCut(dir(), master, { inFrame: 13, outFrame: 47, format: "original" });
    const { stream, done, init } = cutClipStream(cut.options);
    const [bytes, result] = await Promise.all([collect(stream), done]);
    expect(result).toMatchObject({ method: "smart", frames: 34, startTimecode: "10:00:00:13" });
    const streamed = join(dir(), "streamed-13-47.mxf");
    await writeFile(streamed, bytes);
    const check = { master, inFrame: 13, outFrame: 47, copiedFrames: 34 - result.encodedFrames };
    await expectFaithfulClip({ ...check, clip: streamed });
    await expectFaithfulClip({ ...check, clip: cut.output });
    // Frames 13-23 encoded in a closed GOP, 24-35 copied and closed, 36-46 the master's open GOP.
    expectCompletedMxf(bytes, await readFile(cut.output), {
      frames: 34,
      closedGop: 0,
      maxGop: 12,
      bPictureCount: 2,
    });
    // ffmpeg unable to seek leaves every duration unknown, and ffprobe guesses the sound's from
    // its bit rate; the streamed header says the clip's.
    const probe = (await runFfprobeJson(["-show_streams", streamed])) as { streams: { duration?: string }[] };
    expect(probe.streams.map((s) => s.duration)).toEqual(["1.360000", "1.360000", "1.360000"]);
    // The header kept for the next clips is ffmpeg's, durations unknown.
    expect((await init)?.length).toBe(headerPartition(bytes).length);
  });

  it("sends an earlier clip's header ahead with the clip's own timecode and UMIDs, then the clip, exact", async () => {
    const master = await xdcamMaster();
    const earlier = await earlierXdcamClip();
    expect(earlier.method).toBe("copy");
    const template = earlier.header;

    const cut = await prepareCut(dir(), master, { inFrame: 27, outFrame: 62, format: "mxf" });
    const events: string[] = [];
    const { stream, done, init } = cutClipStream(cut.options, template);
    stream.once("data", (chunk: Buffer) => {
      // The work file appears when the final ffmpeg starts, after the head is encoded.
      events.push(existsSync(`${cut.output}.partial`) ? "data after the mux started" : "data");
      events.push(chunk.length === headerPartition(chunk).length ? "whole header" : "part of a header");
    });
    const [bytes, result] = await Promise.all([collect(stream), done.finally(() => events.push("cut done"))]);
    expect(events).toEqual(["data", "whole header", "cut done"]);
    expect(result).toMatchObject({ method: "smart", frames: 35, startTimecode: "10:00:01:02" });
    // ffmpeg wrote the same header but for the timecode, which the one sent ahead had right.
    const own = await init;
    expect(own?.equals(withStartTimecode(template, 25 * 3600 * 10 + 27))).toBe(true);
    const streamed = join(dir(), "streamed-27-62.mxf");
    await writeFile(streamed, bytes);
    await expectFaithfulClip({
      master,
      clip: streamed,
      inFrame: 27,
      outFrame: 62,
      copiedFrames: 35 - result.encodedFrames,
    });
    expectCompletedMxf(bytes, await readFile(cut.output), {
      frames: 35,
      closedGop: 0,
      maxGop: 12,
      bPictureCount: 2,
    });
    // Each clip has its own UMIDs (bit-exact ffmpeg writes the same for every file), in its
    // header and in every system item.
    const umids = (clip: Buffer) => new Set(mxfUmids(clip));
    expect(umids(bytes).size).toBeGreaterThan(0);
    expect([...umids(bytes)].some((umid) => umids(earlier.bytes).has(umid))).toBe(false);
    expect(umids(await readFile(cut.output))).toEqual(umids(bytes));
  });

  it("streams a conversion to XDCAM MXF, whose header is ffmpeg's own", async () => {
    const master = await proresMaster();
    const cut = await prepareCut(dir(), master, { inFrame: 7, outFrame: 52, format: "mxf" });
    const { stream, done } = cutClipStream(cut.options);
    const [bytes, result] = await Promise.all([collect(stream), done]);
    expect(result.method).toBe("reencode");
    const streamed = join(dir(), "converted.mxf");
    await writeFile(streamed, bytes);
    await expectFaithfulClip({ master, clip: streamed, inFrame: 7, outFrame: 52, copiedFrames: 0 });
    expect((await probeMaster(streamed)).video).toMatchObject({ codec: "mpeg2video", profile: "4:2:2" });
    // The encoder's GOPs: 12 pictures, 2 B-pictures, open after the first (XDCAM's usual).
    expectCompletedMxf(bytes, await readFile(cut.output), {
      frames: 45,
      closedGop: 0,
      maxGop: 12,
      bPictureCount: 2,
    });
  });

  it("breaks the reader off when the header sent ahead was not ffmpeg's, and still completes the file", async () => {
    const master = await xdcamMaster();
    const template = (await earlierXdcamClip()).header;
    // A header that says the GOPs are open: not what ffmpeg writes for a clip's first picture.
    const wrong = Buffer.from(template);
    const span = headerMetadataSpan(wrong);
    const metadata = wrong.subarray(span.start, span.start + span.length);
    const closedGop = localFields(metadata).find((field) => sameLabel(field.label, LABELS.closedGop));
    expect(closedGop).toBeDefined();
    if (closedGop !== undefined) writeField(metadata, closedGop, 0);

    const cut = await prepareCut(dir(), master, { inFrame: 13, outFrame: 47, format: "original" });
    const { stream, done } = cutClipStream(cut.options, wrong);
    const received: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => received.push(chunk));
    await expect(new Promise((_, reject) => stream.on("error", reject))).rejects.toBeInstanceOf(
      InitSegmentMismatch,
    );
    await done;
    // The reader got the header sent ahead and nothing more.
    expect(Buffer.concat(received).length).toBe(headerPartition(Buffer.concat(received)).length);
    const file = await readFile(cut.output);
    expect(mxfPartitions(file)[0]?.status).toBe(CLOSED_COMPLETE);
    expect(await packetCounts(cut.output)).toEqual(["34", "34", "34"]);
  });

  it("leaves no file when an MXF cut is aborted mid-way, and fails the stream", async () => {
    const master = await xdcamMaster();
    const controller = new AbortController();
    const cut = await prepareCut(
      dir(),
      master,
      { inFrame: 13, outFrame: 95, format: "original" },
      { signal: controller.signal },
    );
    const before = await readdir(dir());
    const { stream, done } = cutClipStream(cut.options);
    const read = collect(stream);
    // Past the header: the cut's own bytes are arriving.
    let received = 0;
    stream.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > 1_000_000) controller.abort();
    });
    await expect(done).rejects.toBeDefined();
    await expect(read).rejects.toBeDefined();
    expect(received).toBeGreaterThan(1_000_000);
    expect(await readdir(dir())).toEqual(before);
  });
});
