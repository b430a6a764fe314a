import { foreignMinisters } from "./content/foreign-ministers.ts";
import { organisation } from "./content/organisation.ts";
import { preparednessMinisters } from "./content/preparedness-ministers.ts";
import type { DemoEvent, DemoItem, DemoPhoto, DemoVideo } from "./content/types.ts";

export type { DemoEvent, DemoItem, DemoPhoto, DemoVideo, Turn } from "./content/types.ts";
export { organisation };

/** The demo's two events, newest first, as an editor would have entered them. */
export const demoEvents: DemoEvent[] = [foreignMinisters, preparednessMinisters];

export function demoVideos(events: DemoEvent[] = demoEvents): DemoVideo[] {
  return events.flatMap((event) =>
    event.items.filter((item): item is DemoVideo => item.mediaType === "video"),
  );
}

export function demoPhotos(events: DemoEvent[] = demoEvents): DemoPhoto[] {
  return events.flatMap((event) =>
    event.items.filter((item): item is DemoPhoto => item.mediaType === "photo"),
  );
}

export function isVideo(item: DemoItem): item is DemoVideo {
  return item.mediaType === "video";
}
