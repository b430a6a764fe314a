import { existsSync, watch } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { TimecodeOutOfRange, UnsupportedMedia } from "../../src/media/errors.ts";
import { probeMaster } from "../../src/media/probe.ts";
import { h264Master, xdcamMaster } from "../helpers/media.ts";
import { trackOnsets } from "./clip-check.ts";
import { HEAVY, prepareCut, useTempDir } from "./cut-setup.ts";

const dir = useTempDir();

describe("cutClip with a choice of audio tracks", { timeout: HEAVY }, () => {
  it("keeps only the tracks asked for, in sync", async () => {
    const master = await xdcamMaster({ tracks: 8 });
    const cut = await prepareCut(
      dir(),
      master,
      { inFrame: 13, outFrame: 63, format: "original" },
      { audioTracks: [2, 5] },
    );
    await cut.run();
    const output = cut.output;
    const clip = await probeMaster(output);
    expect(clip.audio).toHaveLength(2);
    for (const onsets of await trackOnsets(output, 2)) expect(onsets[0]).toBeCloseTo(0.48, 2);
  });
});

describe("cutClip refuses what it cannot do", { timeout: HEAVY }, () => {
  it("rejects a range outside the video, or reversed", async () => {
    const master = await h264Master();
    await expect(
      (await prepareCut(dir(), master, { inFrame: 100, outFrame: 151, format: "original" })).run(),
    ).rejects.toThrow(TimecodeOutOfRange);
    await expect(
      (await prepareCut(dir(), master, { inFrame: -1, outFrame: 10, format: "original" })).run(),
    ).rejects.toThrow(TimecodeOutOfRange);
    await expect(
      (await prepareCut(dir(), master, { inFrame: 20, outFrame: 20, format: "original" })).run(),
    ).rejects.toMatchObject({
      code: "TimecodeOutOfRange",
    });
  });

  it("rejects a sound format for a video without sound", async () => {
    const master = await h264Master();
    const { run, options } = await prepareCut(dir(), master, { inFrame: 0, outFrame: 10, format: "wav" });
    options.info.audio = [];
    await expect(run()).rejects.toThrow(UnsupportedMedia);
  });

  it("stops when the download is abandoned and leaves neither clip nor temporary files", async () => {
    const master = await xdcamMaster();
    const controller = new AbortController();
    const { output, run } = await prepareCut(
      dir(),
      master,
      { inFrame: 1, outFrame: 99, format: "prores" },
      { signal: controller.signal },
    );
    // The client goes away while ffmpeg writes: as soon as the clip's file exists.
    const writing = new Promise<void>((resolve) => {
      const watcher = watch(dir(), (_event, name) => {
        if (name !== `${basename(output)}.partial`) return;
        watcher.close();
        resolve();
      });
    });
    const cutting = run();
    await writing;
    controller.abort(new Error("client went away"));
    await expect(cutting).rejects.toThrow("client went away");
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
    expect((await readdir(dir())).filter((name) => name.startsWith("cut-"))).toEqual([]);
  });
});
