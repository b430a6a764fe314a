/**
 * Errors a user can cause by what they upload or ask for. The web layer turns each `code`
 * into a French or English message, filling it from `params`, so messages here are for logs only.
 */
export class MediaError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number> | undefined;

  constructor(code: string, message: string, params?: Record<string, string | number>) {
    super(message);
    this.name = code;
    this.code = code;
    this.params = params;
  }
}

/** The file holds no video stream we can read (an image, a text file, an empty file). */
export class NotAVideo extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("NotAVideo", message, params);
  }
}

/** The file is a video but cannot be read to its end (truncated upload, damaged bytes). */
export class CorruptMedia extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("CorruptMedia", message, params);
  }
}

/** The text given as an IN or OUT point is neither a timecode nor a number of seconds. */
export class InvalidTimecode extends MediaError {
  constructor(input: string, reason: string) {
    super("InvalidTimecode", `invalid timecode "${input}": ${reason}`, { input, reason });
  }
}

/** An IN or OUT given in seconds further from the start than any video runs (a typo, a probe). */
export class ClipPointTooFar extends MediaError {
  constructor(input: string, hours: number) {
    super("ClipPointTooFar", `point "${input}" is over ${hours} hours from the start`, { input, hours });
  }
}

/** A well-formed IN/OUT that falls outside the video, or an OUT not after its IN. */
export class TimecodeOutOfRange extends MediaError {
  constructor(message: string, params: Record<string, string | number>) {
    super("TimecodeOutOfRange", message, params);
  }
}

/** The master uses something the cutter cannot write in the requested format. */
export class UnsupportedMedia extends MediaError {
  constructor(message: string, params?: Record<string, string | number>) {
    super("UnsupportedMedia", message, params);
  }
}
