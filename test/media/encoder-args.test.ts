import { describe, expect, it } from "vitest";
import { pcmArgs } from "../../src/media/encoder-args/audio.ts";
import { deliveryH264Args, matchingH264Args, parseX264Settings } from "../../src/media/encoder-args/h264.ts";
import { mpeg2Args, XDCAM_GOP } from "../../src/media/encoder-args/mpeg2.ts";
import type { AudioTrack, VideoInfo } from "../../src/media/probe.ts";

const video: VideoInfo = {
  streamIndex: 0,
  codec: "h264",
  profile: "High",
  level: 40,
  pixelFormat: "yuv420p",
  width: 1920,
  height: 1080,
  sampleAspectRatio: "1:1",
  frameRate: { num: 25, den: 1 },
  fieldOrder: "progressive",
  bitRate: null,
  reorderDelay: 2,
  allIntra: false,
  colorRange: "tv",
  colorSpace: "bt709",
  colorPrimaries: "bt709",
  colorTransfer: "bt709",
};

// As x264 writes it into every stream it encodes.
const SEI =
  "cabac=1 ref=2 deblock=1:-1:-1 analyse=0x3:0x113 me=hex subme=4 psy=1 psy_rd=1.00:0.00 mixed_ref=0 " +
  "me_range=16 chroma_me=1 trellis=1 8x8dct=1 cqm=0 deadzone=21,11 fast_pskip=1 chroma_qp_offset=0 threads=3 " +
  "interlaced=0 bluray_compat=0 constrained_intra=0 bframes=3 b_pyramid=2 b_adapt=1 b_bias=0 direct=1 weightb=1 " +
  "open_gop=0 weightp=1 keyint=50 keyint_min=26 scenecut=0 intra_refresh=0 rc_lookahead=20 rc=crf mbtree=1 " +
  "crf=18.0 qcomp=0.60 qpmin=0 qpmax=69 qpstep=4 ip_ratio=1.40 aq=1:1.00";

function x264Params(args: string[]): Map<string, string> {
  const params = args[args.indexOf("-x264-params") + 1] ?? "";
  return new Map(params.split(":").map((pair) => pair.split("=") as [string, string]));
}

describe("matchingH264Args", () => {
  it("carries every setting that shapes the SPS/PPS, under the names x264 takes", () => {
    const params = x264Params(matchingH264Args(parseX264Settings(SEI), video)!);
    expect(Object.fromEntries(params)).toMatchObject({
      cabac: "1",
      ref: "2",
      "8x8dct": "1",
      "chroma-qp-offset": "0",
      bframes: "3",
      "b-pyramid": "2",
      weightb: "1",
      weightp: "1",
      "open-gop": "0",
      keyint: "50",
      "min-keyint": "26",
      crf: "18.0",
      level: "4",
      // x264's "enabled:alpha:beta" becomes "alpha,beta".
      deblock: "-1,-1",
      // psy would lower chroma_qp_offset a second time.
      psy: "0",
    });
    // Speed-only settings are the preset's business.
    expect(params.has("subme")).toBe(false);
    expect(params.has("threads")).toBe(false);
  });

  it("keeps the master's colour signalling and pixel format", () => {
    const args = matchingH264Args(parseX264Settings(SEI), video)!;
    expect(args.join(" ")).toContain("-pix_fmt yuv420p");
    expect(args.join(" ")).toContain("-colorspace bt709");
  });

  it("gives up on settings it cannot reproduce", () => {
    expect(matchingH264Args(parseX264Settings(SEI.replace("cqm=0", "cqm=2")), video)).toBeNull();
    expect(matchingH264Args(parseX264Settings(SEI.replace("rc=crf", "rc=mystery")), video)).toBeNull();
  });

  it("turns off deblocking when the master did", () => {
    const params = x264Params(
      matchingH264Args(parseX264Settings(SEI.replace("deblock=1:-1:-1", "deblock=0:0:0")), video)!,
    );
    expect(params.get("no-deblock")).toBe("1");
    expect(params.has("deblock")).toBe(false);
  });
});

describe("deliveryH264Args", () => {
  it("writes 4:2:0 High profile and codes interlaced masters field by field", () => {
    expect(deliveryH264Args(video).join(" ")).toContain("-pix_fmt yuv420p -profile:v high");
    expect(deliveryH264Args({ ...video, fieldOrder: "tff" }).join(" ")).toContain("-x264-params tff=1");
  });
});

describe("mpeg2Args", () => {
  it("writes XDCAM HD422 for a 1080i master, with every flag in one -flags", () => {
    const args = mpeg2Args(
      { ...video, fieldOrder: "tff" },
      { ...XDCAM_GOP, closed: true },
      50_000_000,
      "422",
    );
    const line = args.join(" ");
    expect(line).toContain("-pix_fmt yuv422p -profile:v 0 -level:v 2");
    expect(line).toContain("-b:v 50000000 -minrate 50000000 -maxrate 50000000");
    expect(line).toContain("-g 12 -bf 2");
    expect(args.filter((a) => a === "-flags")).toHaveLength(1);
    expect(args[args.indexOf("-flags") + 1]).toBe("+cgop+ilme+ildct");
    expect(line).toContain("-top 1 -field_order tt");
  });

  it("writes progressive 4:2:0 Main profile without interlacing flags", () => {
    const args = mpeg2Args({ ...video, height: 576 }, XDCAM_GOP, 15_000_000, "420");
    expect(args.join(" ")).toContain("-pix_fmt yuv420p -profile:v 4 -level:v 8");
    expect(args).not.toContain("-flags");
    expect(args).not.toContain("-top");
  });
});

describe("pcmArgs", () => {
  const track = (bitDepth: number | null): AudioTrack => ({
    streamIndex: 1,
    codec: "pcm",
    channels: 1,
    sampleRate: 48_000,
    bitDepth,
    language: null,
  });

  it("keeps 16-bit masters 16-bit and writes everything else as 24-bit", () => {
    expect(pcmArgs([track(16), track(16)])).toContain("pcm_s16le");
    expect(pcmArgs([track(24)])).toContain("pcm_s24le");
    expect(pcmArgs([track(null)])).toContain("pcm_s24le");
  });
});
