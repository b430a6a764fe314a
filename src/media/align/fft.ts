/**
 * Power spectrum of a real frame by a radix-2 FFT. A real input of size N is packed as N/2 complex
 * values (even samples real, odd imaginary) and unpacked afterwards, which halves the work: the
 * aligner runs one transform per 10 ms of audio, so this is its hottest loop after the DTW.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reverse: Uint32Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0)
      throw new RangeError(`FFT size must be a power of two ≥ 4: ${size}`);
    this.size = size;
    this.half = size / 2;
    this.re = new Float64Array(this.half);
    this.im = new Float64Array(this.half);
    // Twiddles for the full size: the half-size transform uses every other one.
    this.cos = new Float64Array(this.half);
    this.sin = new Float64Array(this.half);
    for (let k = 0; k < this.half; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.reverse = new Uint32Array(this.half);
    const bits = Math.log2(this.half);
    for (let i = 0; i < this.half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reverse[i] = r;
    }
  }

  /** |X[k]|² for k = 0 … size/2 of `input` (length `size`) into `out` (length size/2 + 1). */
  powerSpectrum(input: Float64Array, out: Float64Array): void {
    const { half, re, im, reverse } = this;
    for (let i = 0; i < half; i++) {
      const r = reverse[i]!;
      re[r] = input[2 * i]!;
      im[r] = input[2 * i + 1]!;
    }
    this.transform();
    out[0] = (re[0]! + im[0]!) ** 2;
    out[half] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k < half; k++) {
      // Split the packed transform Z into the spectra of the even and odd samples, then combine.
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[half - k]!;
      const ci = -im[half - k]!;
      const er = (zr + cr) / 2;
      const ei = (zi + ci) / 2;
      const or = (zi - ci) / 2;
      const oi = -(zr - cr) / 2;
      const wr = this.cos[k]!;
      const wi = this.sin[k]!;
      const xr = er + wr * or - wi * oi;
      const xi = ei + wr * oi + wi * or;
      out[k] = xr * xr + xi * xi;
    }
  }

  /** In-place iterative FFT of size/2 points on bit-reversed input. */
  private transform(): void {
    const { half, re, im } = this;
    for (let span = 1; span < half; span *= 2) {
      const step = half / span; // twiddle stride in the half-size table (which is every other full one)
      for (let start = 0; start < half; start += 2 * span) {
        for (let k = 0; k < span; k++) {
          const wr = this.cos[k * step]!;
          const wi = this.sin[k * step]!;
          const a = start + k;
          const b = a + span;
          const br = re[b]! * wr - im[b]! * wi;
          const bi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - br;
          im[b] = im[a]! - bi;
          re[a] = re[a]! + br;
          im[a] = im[a]! + bi;
        }
      }
    }
  }
}
