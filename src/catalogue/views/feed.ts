export const FEED_SIZE = 50;
