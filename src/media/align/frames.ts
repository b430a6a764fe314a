/**
 * Frames of fixed width in one Float32Array that grows by doubling: per-frame objects or nested
 * arrays would cost ten times the memory for an hour of 10 ms frames.
 */
export class FrameStore {
  readonly width: number;
  private data: Float32Array;
  private count = 0;

  constructor(width: number, expectedFrames = 1024) {
    this.width = width;
    this.data = new Float32Array(Math.max(16, expectedFrames) * width);
  }

  get length(): number {
    return this.count;
  }

  push(values: ArrayLike<number>): void {
    this.reserve(1);
    const at = this.count * this.width;
    for (let i = 0; i < this.width; i++) this.data[at + i] = values[i]!;
    this.count++;
  }

  pushOne(value: number): void {
    this.reserve(1);
    this.data[this.count * this.width] = value;
    this.count++;
  }

  /** The frames so far, trimmed to their length (a copy, so the store's spare room is freed). */
  toArray(): Float32Array {
    return this.data.slice(0, this.count * this.width);
  }

  private reserve(frames: number): void {
    const needed = (this.count + frames) * this.width;
    if (needed <= this.data.length) return;
    const grown = new Float32Array(Math.max(needed, this.data.length * 2));
    grown.set(this.data.subarray(0, this.count * this.width));
    this.data = grown;
  }
}
