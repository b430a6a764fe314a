// node-media-server's RTMP protocol parser (handshake, chunks, AMF commands), used on its own: the
// package's server would bring its HTTP API, relays and recording, none of which we want.
declare module "node-media-server/src/protocol/rtmp.js" {
  type AVPacket = { codec_type: number; size: number; dts: number; pts: number; data: Buffer };
  class Rtmp {
    onConnectCallback: (req: { app: string; name: string; host: string }) => void;
    onPlayCallback: () => void;
    onPushCallback: () => void;
    onPacketCallback: (packet: AVPacket) => void;
    onOutputCallback: (buffer: Buffer) => void;
    /** An error message, or null. */
    parserData(buffer: Buffer): string | null;
  }
  export = Rtmp;
}

declare module "node-media-server/src/protocol/flv.js" {
  type AVPacket = { codec_type: number; size: number; dts: number; pts: number; data: Buffer };
  const Flv: {
    createHeader(hasAudio: boolean, hasVideo: boolean): Buffer;
    createMessage(packet: AVPacket): Buffer;
  };
  export = Flv;
}
