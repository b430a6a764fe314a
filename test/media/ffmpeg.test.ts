import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkFfmpegVersion,
  FfmpegUnavailable,
  locateFfmpeg,
  runFfmpeg,
  ToolFailed,
} from "../../src/media/ffmpeg.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pressroom-ffmpeg-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("locateFfmpeg", () => {
  it("prefers explicit options, then FFMPEG_PATH/FFPROBE_PATH, then the PATH", () => {
    expect(locateFfmpeg({}, {})).toEqual({ ffmpeg: "ffmpeg", ffprobe: "ffprobe" });
    expect(locateFfmpeg({}, { FFMPEG_PATH: "/opt/ff/ffmpeg", FFPROBE_PATH: "/opt/ff/ffprobe" })).toEqual({
      ffmpeg: "/opt/ff/ffmpeg",
      ffprobe: "/opt/ff/ffprobe",
    });
    expect(locateFfmpeg({ ffmpeg: "/x/ffmpeg" }, { FFMPEG_PATH: "/opt/ff/ffmpeg" }).ffmpeg).toBe("/x/ffmpeg");
  });
});

describe("checkFfmpegVersion", () => {
  it("accepts the installed ffmpeg", async () => {
    const version = await checkFfmpegVersion();
    expect(version.major).toBeGreaterThanOrEqual(5);
  });

  it("says clearly when ffmpeg is missing", async () => {
    const tools = { ffmpeg: join(dir, "no-such-ffmpeg"), ffprobe: "ffprobe" };
    await expect(checkFfmpegVersion(tools)).rejects.toThrow(FfmpegUnavailable);
    await expect(checkFfmpegVersion(tools)).rejects.toThrow(/FFMPEG_PATH/);
  });

  it("refuses an ffmpeg older than 5", async () => {
    const old = join(dir, "old-ffmpeg");
    await writeFile(old, "#!/bin/sh\necho 'ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021'\n");
    await chmod(old, 0o755);
    await expect(checkFfmpegVersion({ ffmpeg: old, ffprobe: "ffprobe" })).rejects.toThrow(/4\.4\.2.*too old/);
  });
});

describe("runFfmpeg", () => {
  it("reports ffmpeg's own error message when it fails", async () => {
    const failure = runFfmpeg(["-i", join(dir, "missing.mxf"), "-f", "null", "-"]);
    await expect(failure).rejects.toThrow(ToolFailed);
    await expect(failure).rejects.toThrow(/No such file or directory/);
  });

  it("kills ffmpeg when the signal aborts, so a closed download stops its encode", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const endless = runFfmpeg(["-re", "-f", "lavfi", "-i", "testsrc2=rate=25", "-f", "null", "-"], {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("client went away")),
    });
    await expect(endless).rejects.toThrow("client went away");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("never goes through a shell, so file names are taken literally", async () => {
    const name = join(dir, "$(touch pwned); `x`.mp4");
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5:duration=0.2", name]);
    expect((await stat(name)).size).toBeGreaterThan(0);
    await expect(stat(join(process.cwd(), "pwned"))).rejects.toThrow();
  });
});
