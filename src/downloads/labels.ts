import { type ClipFormat, formatsForMaster } from "../media/formats.ts";
import { type Lang, t, tDynamic } from "../web/i18n.ts";
import type { DownloadSource } from "./item-source.ts";

/** How formats and audio tracks are named on the pages, from the panel to "My downloads". */

const codecNames: Record<string, string> = {
  h264: "H.264",
  hevc: "HEVC",
  mpeg2video: "MPEG-2",
  prores: "ProRes",
  dnxhd: "DNxHD",
};

export function formatLabel(lang: Lang, format: string, source?: DownloadSource | null): string {
  if (format === "original") {
    const probe = source?.master?.probe;
    if (probe?.container && probe.video?.codec) {
      return t(lang, "downloads.format.original_of", {
        wrapper: probe.container.toUpperCase(),
        codec: codecNames[probe.video.codec] ?? probe.video.codec,
      });
    }
  }
  return tDynamic(lang, `downloads.format.${format}`);
}

/** The formats that make sense for an item: no video formats for sound, no sound formats without it. */
export function formatsFor(source: DownloadSource): ClipFormat[] {
  const hasSound = (source.master?.probe?.audio?.length ?? 0) > 0;
  return formatsForMaster({ hasVideo: source.mediaType !== "audio", hasSound });
}

export function audioLabel(lang: Lang, label: string): string {
  if (label === "all" || label === "floor" || label === "en" || label === "fr")
    return t(lang, `downloads.audio.${label}`);
  return t(lang, "downloads.audio.other", { label });
}

/** The labels the editors gave the master's tracks, each once, in track order. */
export function audioChoices(source: DownloadSource): string[] {
  const labels = (source.master?.audioLabels ?? []).map((l) => l.label).filter((l) => l.trim() !== "");
  return [...new Set(labels)];
}
