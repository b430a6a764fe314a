import { readdir, readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ClipFormat } from "../../src/media/clip-output.ts";
import { canStreamClip } from "../../src/media/clip-output.ts";
import { cutClipStream, InitSegmentMismatch } from "../../src/media/cut-stream.ts";
import { runFfprobeJson } from "../../src/media/ffmpeg.ts";
import { sameInitSegment } from "../../src/media/fmp4-init.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, proresMaster, type TestMaster, xdcamMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

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

  it("says which formats can stream: not MXF, WAV or MP3", async () => {
    const info = await probeMaster((await xdcamMaster()).path);
    expect(canStreamClip("original", info)).toBe(false);
    expect(canStreamClip("mxf", info)).toBe(false);
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
