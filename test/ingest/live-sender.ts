import { type ChildProcess, spawn } from "node:child_process";
import dgram from "node:dgram";
import net from "node:net";

/**
 * The venue's encoder in live tests: ffmpeg sending a file in real time (`-re`), stream copy, over
 * SRT (MPEG-TS) or RTMP (FLV), to the address the portal gave. Picture and sound only, as an
 * encoder sends (the file's timecode track would be one more stream to identify), unless `maps`
 * says otherwise; `loops` more times after the first. `child` lets a test stop it mid-stream.
 */
export function startSender(
  file: string,
  url: string,
  format: "mpegts" | "flv",
  options: { maps?: string[]; loops?: number; srtLatencyMs?: number } = {},
): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  // ffmpeg's SRT drops what is still unsent when it closes (linger 0 in live mode): an encoder
  // that is stopped would lose its last half second, which a test that counts frames would see.
  // An encoder's SRT latency (microseconds in ffmpeg) is what the receiver holds packets for.
  const latency = options.srtLatencyMs ? `&latency=${options.srtLatencyMs * 1000}` : "";
  const target = format === "mpegts" ? `${url}&linger=5${latency}` : url;
  const loop = options.loops ? ["-stream_loop", String(options.loops)] : [];
  const maps = options.maps ?? ["-map", "0:v", "-map", "0:a"];
  const child = spawn(
    "ffmpeg",
    [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-re",
      ...loop,
      "-i",
      file,
      ...maps,
      "-c",
      "copy",
      "-f",
      format,
      target,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

/** `startSender` to its end. */
export function sendLive(
  file: string,
  url: string,
  format: "mpegts" | "flv",
  options: Parameters<typeof startSender>[3] = {},
): Promise<{ code: number | null; stderr: string }> {
  return startSender(file, url, format, options).done;
}

/** A TCP port nobody listens on now. */
export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The first of `count` consecutive UDP ports nobody has bound now (SRT listens on UDP). */
export async function freeUdpPorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 30_000);
    const sockets: dgram.Socket[] = [];
    let free = true;
    for (let port = first; port < first + count && free; port++) {
      const socket = dgram.createSocket("udp4");
      sockets.push(socket);
      free = await new Promise<boolean>((resolve) => {
        socket.once("error", () => resolve(false));
        socket.bind(port, "127.0.0.1", () => resolve(true));
      });
    }
    for (const socket of sockets) {
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
    }
    if (free) return first;
  }
  throw new Error("no free UDP ports");
}
