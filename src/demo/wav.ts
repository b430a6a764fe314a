/**
 * Just enough WAV for the speech track: espeak-ng writes 16-bit mono PCM, and the track is
 * assembled sample by sample so every sentence's start is known exactly, not estimated.
 */

export type Pcm = { sampleRate: number; samples: Int16Array };

export function readWav(file: Buffer): Pcm {
  if (file.toString("ascii", 0, 4) !== "RIFF" || file.toString("ascii", 8, 12) !== "WAVE") {
    throw new Error("not a WAV file");
  }
  let sampleRate = 0;
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString("ascii", offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      const format = file.readUInt16LE(body);
      const channels = file.readUInt16LE(body + 2);
      const bits = file.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error("expected 16-bit mono PCM");
      sampleRate = file.readUInt32LE(body + 4);
    } else if (id === "data") {
      if (sampleRate === 0) throw new Error("WAV data before its format");
      // A writer that streamed may leave the size unset; the data then runs to the end.
      const end = Math.min(file.length, body + size);
      const copy = file.subarray(body, end - ((end - body) % 2));
      const samples = new Int16Array(copy.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = copy.readInt16LE(i * 2);
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error("WAV without data");
}

export function writeWav(pcm: Pcm): Buffer {
  const data = pcm.samples.length * 2;
  const file = Buffer.alloc(44 + data);
  file.write("RIFF", 0, "ascii");
  file.writeUInt32LE(36 + data, 4);
  file.write("WAVEfmt ", 8, "ascii");
  file.writeUInt32LE(16, 16);
  file.writeUInt16LE(1, 20);
  file.writeUInt16LE(1, 22);
  file.writeUInt32LE(pcm.sampleRate, 24);
  file.writeUInt32LE(pcm.sampleRate * 2, 28);
  file.writeUInt16LE(2, 32);
  file.writeUInt16LE(16, 34);
  file.write("data", 36, "ascii");
  file.writeUInt32LE(data, 40);
  for (let i = 0; i < pcm.samples.length; i++) file.writeInt16LE(pcm.samples[i]!, 44 + i * 2);
  return file;
}

// About -46 dBFS: below anything espeak-ng says, above the dither of its silence.
const SILENCE = 160;

/**
 * The samples from the first to the last audible one: espeak-ng pads each sentence with
 * silence, and the transcript should say when the words start, not when the file does.
 */
export function trimSilence(samples: Int16Array): Int16Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) < SILENCE) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) < SILENCE) last--;
  return samples.subarray(first, last + 1);
}
