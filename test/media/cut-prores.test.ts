import { describe, expect, it } from "vitest";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, proresMaster } from "../helpers/media.ts";
import { expectFaithfulClip } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

const dir = useTempDir();

describe("cutClip and ProRes", { timeout: HEAVY }, () => {
  it("copies every frame bit for bit, wherever IN and OUT fall", async () => {
    const master = await proresMaster();
    const { output, run } = await prepareCut(dir(), master, {
      inFrame: 13,
      outFrame: 61,
      format: "original",
    });
    expect(await run()).toMatchObject({
      method: "copy",
      frames: 48,
      encodedFrames: 0,
      startTimecode: "10:00:00:13",
    });
    await expectFaithfulClip({ master, clip: output, inFrame: 13, outFrame: 61, copiedFrames: 48 });
    expect((await probeMaster(output)).audio.map((a) => a.codec)).toEqual(["pcm_s24le", "pcm_s24le"]);
  });

  it("writes ProRes 422 with PCM from an H.264 master, reporting its progress", async () => {
    const master = await h264Master();
    const { output, run, progress } = await prepareCut(dir(), master, {
      inFrame: 49,
      outFrame: 101,
      format: "prores",
    });
    await run();
    expect(progress.at(-1)).toBe(1);
    expect(
      progress.every((fraction, i) => fraction >= 0 && fraction <= 1 && fraction >= (progress[i - 1] ?? 0)),
    ).toBe(true);
    const info = await probeMaster(output);
    expect(info.video).toMatchObject({ codec: "prores", profile: "HQ", allIntra: true });
    await expectFaithfulClip({ master, clip: output, inFrame: 49, outFrame: 101, copiedFrames: 0 });
  });
});
