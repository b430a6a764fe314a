/**
 * The HLS media playlist of a live recording, from its pieces: an EVENT playlist (it only grows,
 * so a player can go back to the start), with a discontinuity where the encoder reconnected, and
 * closed with ENDLIST when the live has ended.
 */

export type PlaylistPiece = { connection: number; durationSeconds: number; uri: string };

export function livePlaylist(pieces: readonly PlaylistPiece[], ended: boolean): string {
  const target = Math.max(1, ...pieces.map((p) => Math.ceil(p.durationSeconds)));
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    // Players start a few pieces back from the end: the live edge they can hold without stalling.
    "#EXT-X-INDEPENDENT-SEGMENTS",
  ];
  let connection: number | null = null;
  for (const piece of pieces) {
    if (connection !== null && piece.connection !== connection) lines.push("#EXT-X-DISCONTINUITY");
    connection = piece.connection;
    lines.push(`#EXTINF:${piece.durationSeconds.toFixed(6)},`, piece.uri);
  }
  if (ended) lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}
