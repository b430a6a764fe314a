import path from "node:path";
import { runFfmpeg } from "../../src/media/ffmpeg.ts";
import { cachedMedia, FIXTURES } from "../media/align/fixtures.ts";

/** The real English recording of the alignment fixtures as a video master: a still picture and the speech. */
export function speechVideo(): Promise<string> {
  return cachedMedia("acoustic-video.mp4", { v: 1 }, async (file) => {
    await runFfmpeg([
      ...["-f", "lavfi", "-i", "color=c=navy:s=160x90:r=25"],
      ...["-i", path.join(FIXTURES, "acoustic_corpus.wav")],
      ...["-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "96k"],
      ...["-map", "0:v", "-map", "1:a", "-y", file],
    ]);
  });
}
