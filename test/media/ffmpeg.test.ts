import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFfmpegVersion, FfmpegUnavailable, runFfmpeg, ToolFailed } from "../../src/media/ffmpeg.ts";
import { childrenOf, isAlive, waitUntil } from "../helpers/processes.ts";

const root = resolve(import.meta.dirname, "../..");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pressroom-ffmpeg-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("how ffmpeg is started", () => {
  const endless = ["-re", "-f", "lavfi", "-i", "testsrc2=rate=25", "-f", "null", "-"];

  it("runs background work at a low CPU priority and in the idle I/O class, and clips at normal priority", async () => {
    for (const priority of ["background", "normal"] as const) {
      const controller = new AbortController();
      let seen: { nice: number; io: string } | null = null;
      const run = runFfmpeg(endless, {
        priority,
        signal: controller.signal,
        onProgress: () => {
          if (seen) return;
          const [child] = childrenOf(process.pid, "ffmpeg");
          if (!child) return;
          const io = spawnSync("ionice", ["-p", String(child.pid)], { encoding: "utf8" }).stdout.trim();
          seen = { nice: child.nice, io };
          controller.abort(new Error("seen"));
        },
      });
      await expect(run).rejects.toThrow("seen");
      if (priority === "background") expect(seen).toEqual({ nice: 10, io: "idle" });
      else expect(seen).toMatchObject({ nice: 0 });
    }
  });

  it("dies with the process that started it, even one killed with SIGKILL", async () => {
    const script = `import("./src/media/ffmpeg.ts").then(({ runFfmpeg }) => runFfmpeg(${JSON.stringify(endless)}))`;
    const node = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, stdio: "ignore" });
    let ffmpeg: number | null = null;
    expect(
      await waitUntil(() => {
        ffmpeg = childrenOf(node.pid!, "ffmpeg")[0]?.pid ?? null;
        return ffmpeg !== null;
      }, 20_000),
    ).toBe(true);
    node.kill("SIGKILL");
    expect(await waitUntil(() => !isAlive(ffmpeg!), 5000)).toBe(true);
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
    const endless = runFfmpeg(["-re", "-f", "lavfi", "-i", "testsrc2=rate=25", "-f", "null", "-"], {
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("client went away")),
    });
    // An endless input: only the kill ends it (otherwise the test times out).
    await expect(endless).rejects.toThrow("client went away");
  });

  it("never goes through a shell, so file names are taken literally", async () => {
    const name = join(dir, "$(touch pwned); `x`.mp4");
    await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5:duration=0.2", name]);
    expect((await stat(name)).size).toBeGreaterThan(0);
    await expect(stat(join(process.cwd(), "pwned"))).rejects.toThrow();
  });
});
