import { type HlsVariant, hlsOutput } from "./hls-args.ts";
import type { MasterInfo } from "./probe.ts";
import { type PosterSpec, posterFilter, type StoryboardSpec, storyboardFilter } from "./thumbnails-args.ts";

/** What one preview run should write; any part may be left out (already made by an earlier run). */
export interface PreviewWanted {
  hls?: { ladder: HlsVariant[]; outDir: string };
  storyboard?: { spec: StoryboardSpec; outDir: string };
  poster?: { spec: PosterSpec; file: string };
}

/**
 * One ffmpeg run that decodes the master once and feeds every wanted output from the same
 * pictures: decoding an hour of 50 Mbit/s MPEG-2 costs more than all the scaling after it.
 */
export function previewArgs(input: string, info: MasterInfo, want: PreviewWanted): string[] {
  const branches = [want.hls, want.storyboard, want.poster].filter(Boolean).length;
  if (branches === 0) throw new Error("previewArgs: nothing wanted");
  // Browsers show progressive frames; one output frame per interlaced frame keeps frame numbers.
  const interlaced = info.video.fieldOrder === "tff" || info.video.fieldOrder === "bff";
  const labels = ["[ph]", "[ps]", "[pp]"].slice(0, branches);
  const filters = [
    `[0:${info.video.streamIndex}]${interlaced ? "yadif=0:-1:0," : ""}split=${branches}${labels.join("")}`,
  ];
  const outputs: string[] = [];
  let next = 0;
  if (want.hls) {
    const hls = hlsOutput(info, want.hls.ladder, want.hls.outDir, labels[next++]!);
    filters.push(...hls.filters);
    outputs.push(...hls.args);
  }
  if (want.storyboard) {
    filters.push(storyboardFilter(want.storyboard.spec, labels[next++]!, "[sb]"));
    // passthrough: one image per sheet, never a duplicate to fill a frame rate.
    outputs.push(...["-map", "[sb]", "-c:v", "mjpeg", "-q:v", "5", "-fps_mode", "passthrough"]);
    outputs.push(...["-start_number", "0", "-f", "image2", `${want.storyboard.outDir}/sheet_%03d.jpg`]);
  }
  if (want.poster) {
    filters.push(posterFilter(want.poster.spec, labels[next++]!, "[po]"));
    outputs.push(...["-map", "[po]", "-c:v", "mjpeg", "-q:v", "3", "-fps_mode", "passthrough"]);
    outputs.push(...["-update", "1", "-f", "image2", want.poster.file]);
  }
  return ["-i", input, "-filter_complex", filters.join(";"), ...outputs];
}
