/**
 * Where an item's files live in storage; everything of item 42 is under "items/42/", except what a
 * live received (under "live/42/": a master arriving replaces everything under "items/42/", and
 * the live pieces are played and clipped until the master's preview is made).
 */

export const itemPrefix = (id: number) => `items/${id}/`;
export const livePrefix = (id: number) => `live/${id}/`;
/** What a live connection's stream is (its probe, its encoder's settings), read once (issue 12). */
export const liveFactsKey = (id: number, connection: number) => `live/${id}/facts-${connection}.json`;
/**
 * Each master of an item gets a folder of its own (`upload`: made when it is stored), so a process
 * that keeps what it read of an earlier master (its keyframe index, its clips' headers, its clips)
 * never takes it for the new one, even when the new file has the same name and size.
 */
export const masterKey = (id: number, upload: string, fileName: string) =>
  `items/${id}/master/${upload}/${fileName}`;
export const keyframesKey = (id: number) => `items/${id}/keyframes.json`;
export const hlsPrefix = (id: number) => `items/${id}/hls/`;
/** The single-file preview players without HLS get (pages without JavaScript). */
export const mp4PreviewKey = (id: number) => `items/${id}/preview.mp4`;
export const posterKey = (id: number) => `items/${id}/poster.jpg`;
export const storyboardPrefix = (id: number) => `items/${id}/storyboard/`;
export const waveformKey = (id: number) => `items/${id}/waveform.json`;
export const webSizeKey = (id: number, name: string) => `items/${id}/web/${name}.jpg`;
