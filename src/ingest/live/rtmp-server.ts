import net from "node:net";
import { PassThrough, type Readable } from "node:stream";
import Flv from "node-media-server/src/protocol/flv.js";
import Rtmp from "node-media-server/src/protocol/rtmp.js";

/**
 * The RTMP listener: venue encoders (OBS, vMix, Wirecast, hardware) publish to
 * `rtmp://host:port/live/KEY`. The key says which live item the stream is for; `accept` decides
 * (a wrong key, or a key already sending, is refused: the connection is closed before anything
 * is recorded). An accepted stream is handed over as FLV, which ffmpeg records like any other.
 */

export type RtmpPublish = { app: string; key: string; remote: string; flv: Readable; close(): void };

/** Resolves true to take the stream (and then reads `flv` to its end), false to refuse it. */
export type AcceptPublish = (publish: RtmpPublish) => Promise<boolean>;

const AUDIO = 8;
const VIDEO = 9;
// A publisher must say what it sends within this time; a silent socket is closed.
const HANDSHAKE_TIMEOUT_MS = 15_000;

export async function startRtmpServer(
  port: number,
  host: string,
  accept: AcceptPublish,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    handle(socket, accept);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function handle(socket: net.Socket, accept: AcceptPublish): void {
  const rtmp = new Rtmp();
  const flv = new PassThrough();
  // Media that arrives before the key is checked waits here (a publisher does not wait for us).
  let held: Buffer[] | null = [];
  let decided = false;
  const timer = setTimeout(() => socket.destroy(), HANDSHAKE_TIMEOUT_MS);
  socket.setNoDelay(true);
  rtmp.onOutputCallback = (buffer) => {
    if (!socket.destroyed) socket.write(buffer);
  };
  rtmp.onPlayCallback = () => socket.destroy(); // the portal takes streams, it does not play them out
  rtmp.onPacketCallback = (packet) => {
    if (packet.codec_type !== AUDIO && packet.codec_type !== VIDEO) return;
    const tag = Flv.createMessage(packet);
    if (held) held.push(tag);
    else flv.write(tag);
  };
  rtmp.onConnectCallback = (request) => {
    if (decided) return;
    decided = true;
    clearTimeout(timer);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const close = () => socket.destroy();
    void accept({ app: request.app, key: request.name, remote, flv, close })
      .catch(() => false)
      .then((taken) => {
        if (!taken) {
          held = null;
          socket.destroy();
          return;
        }
        flv.write(Flv.createHeader(true, true));
        for (const tag of held ?? []) flv.write(tag);
        held = null;
      });
  };
  socket.on("data", (data: Buffer) => {
    const error = rtmp.parserData(data);
    if (error) socket.destroy();
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    clearTimeout(timer);
    flv.end();
  });
}
