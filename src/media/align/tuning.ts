import type { SearchTuning } from "./coarse-to-fine.ts";

/**
 * The method's parameters, in one place. Emission costs are in units of a frame's mean distance
 * to the synthetic voice (background.ts): unrelated frames ≈ 1, a good match ≈ 0.6. The values
 * were chosen on the fixtures and the composed recording of the bench (docs/ALIGNMENT.md).
 */
export interface AlignTuning extends SearchTuning {
  /** espeak-ng's words a minute: faster than most speakers, so the path mostly waits (cheap) rather than races. */
  rate: number;
  /** Weight of c0 (loudness) in the features (features.ts). */
  c0Weight: number;
  /** States either side of the path within which each sentence is searched again on the middle blocks (refine.ts); 0: not. */
  wordBand: number;
  /** How much of the voice's adaptation (adapt.ts) that second search uses: 0 none, 1 all. */
  wordVoiceShare: number;
  /** How much costlier than the best a path of the word boundaries' search may be and still count (refine.ts). */
  wordTemperature: number;
  /** Half-width in frames of the sliding normalisation of the real cepstra (normalize.ts). */
  localNorm: number;
  /** Below this order margin (verify.ts) a sentence is "unsure". */
  unsureBelow: number;
  /** The margin at which confidence reaches 1. */
  sureAt: number;
  /** Below this mean order margin (outcome.ts checkMatch) the text is not the audio's. */
  notMatchingBelow: number;
  /** Searches again after moving the voice towards the speaker (adapt.ts), each guided by the one before. */
  adaptRounds: number;
  adaptClasses: number;
  adaptPrior: number;
  /** `coarseCellsPerFrame` of the first search when more follow (and no `fullCells` floor). */
  firstCellsPerFrame: number;
  /** The voice's frequency scale (warp.ts): 0 chooses it for each recording, anything else is used as is. */
  voiceWarp: number;
}

export const DEFAULT_TUNING: AlignTuning = {
  // The coarsest level's grid (no decoys there): 80 M cells, or 800 per real frame for a long
  // recording, so 160 ms frames for 46 minutes (97 M cells, 49 MB of back-pointers at half a byte
  // a cell: dtw.ts). Coarser, the path there loses its way for good: on the bench's 46-minute
  // recording 19 % of sentences within 500 ms from 640 ms, 47 % from 320 ms, 56 % from 160 ms
  // (before coarseGapSpeech; levelFactors).
  fullCells: 80_000_000,
  coarseCellsPerFrame: 800,
  // Up to 40 M cells (a minute or so of speech and its text, sentences and decoys), searched whole
  // at 10 ms. At 20 M, a 48 s recording of a quiet speaker and then another (two fixtures, the
  // first 6 dB down) went through a 40 ms level without decoys first, and its own text was
  // rejected as not the audio's (order margin 4.3 %); whole at 10 ms it is placed, 9 of 12
  // sentences within 500 ms. At 80 M the suite's 88 s composed recording lost 3 of its 16.
  fineCells: 40_000_000,
  levelRatio: 4,
  radius: 2,
  widen: 2,
  skipPerFrame: 0.25,
  gapSpeech: 0.4,
  // Fixtures, sentence starts p90 / within 250 ms with −0.05 / 0 / 0.05 / 0.1 / 0.15 / 0.3:
  // 310 / 310 / 310 / 310 / 310 / 340 ms, 79 / 79 / 79 / 79 / 75 / 71 % (without: 340 ms, 67 %);
  // the 21-minute recording 68 % within 500 ms at 0 / 0.05 / 0.1, as without.
  fillerMargin: 0.05,
  // Bench's composed recordings, sentences within 500 ms with 0.2 / 0.25 / 0.3 / 0.35 / 0.4 / 0.5:
  // 46 minutes 67 / 67 / 65 / 62 / 56 / 50 %; 21 minutes (0.25 / 0.3 / 0.4) 62 / 68 / 58 %.
  coarseGapSpeech: 0.3,
  // Likewise with 0.1 / 0.15 / 0.2 / 0.25 / 0.4: 46 minutes 61 / 65 / 66 / 65 / 64 % within 500 ms
  // and 16 / 14 / 14 / 12 / 11 of 22 lines never spoken flagged; 21 minutes (0.15 / 0.2 / 0.25)
  // 69 / 68 / 68 %, 7 / 6 / 6 of 10.
  coarseSkipPerFrame: 0.2,
  guideSeconds: 60,
  guidedFactor: 8,
  guidedGapSpeech: 0.25,
  gapQuiet: 0.5,
  staySpeech: 0.55,
  stayQuiet: 0.6,
  stay: 0.2,
  advance2: 0.05,
  advance3: 0.15,
  rate: 230,
  c0Weight: 0.6,
  // With the squared distance (refine.ts), fixtures' word starts within 50 ms with 10 / 20 / 30 /
  // 40 / 60 / 80 / 200: 55 / 58 / 58 / 59 / 59 / 59 / 59 %, p90 310 ms throughout; the bench's
  // 46 minutes at 20 / 40 / 80 / 200: within 100 ms 75.7 / 76.9 / 77.5 / 77.5 %, p90 234 / 232 /
  // 227 / 227 ms. At 80 (±800 ms of the voice's speech) it is as good as the whole sentence. (With
  // the plain distance, 20 was best: wider, the fixtures' p90 went 310 → 350 ms.) The 46 minutes
  // took 24 s at 80 as at 20. With the handovers of all paths (`wordTemperature`), 40 / 60 / 80:
  // fixtures' words over 100 ms 44 / 38 / 38, the 46 minutes' p90 232 / 227 / 227 ms, reading them
  // 2.8 / 3.9 / 4.8 s.
  wordBand: 60,
  // Fixtures' word starts p90 / within 50 ms, and the 46 minutes' median / p90 / within 100 ms,
  // with 0 / 0.5 / 0.6 / 0.75 / 0.85 / 1: fixtures 230 / 230 / 230 / 230 / 310 / 310 ms, 63 / 64 /
  // 63 / 61 / 58 / 59 %; 46 minutes (0 / 0.5 / 0.6 / 0.75 / 1) 36 / 31 / 28 / 28 / 28 ms, 266 /
  // 237 / 232 / 228 / 227 ms, 70.7 / 75.0 / 77.6 / 77.9 / 77.5 %. Adapted whole, the voice had
  // learnt a drawn-out word where the search had placed it ("probably" over "sounds a" in
  // cold_corpus3, the next five words 0.4–0.6 s late); as espeak-ng speaks it, it fits a
  // recording in noise or another room worse.
  wordVoiceShare: 0.75,
  // Above 0 (at 0 no path counts). Fixtures' words over 100 ms with the best path's handovers
  // (what this tends to as it nears 0; before the eighth session) and 0.07 / 0.1 /
  // 0.15 / 0.2 / 0.3 / 0.5 / 1: 42, 39 / 38 / 39 / 39 / 39 / 43 / 48. At 0.1 the 46 minutes'
  // words within 50 ms 65.7 → 65.9 %, the 21 minutes' p90 304 → 296 ms.
  wordTemperature: 0.1,
  localNorm: 300,
  unsureBelow: 0.02,
  sureAt: 0.1,
  notMatchingBelow: 0.045,
  adaptRounds: 2,
  adaptClasses: 128,
  adaptPrior: 20,
  firstCellsPerFrame: 200,
  voiceWarp: 0,
};
