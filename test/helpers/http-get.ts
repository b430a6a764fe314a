import http from "node:http";

export type Fetched = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the body's first byte arrived (NaN for an empty body). */
  firstByteAt: number;
};

/** A real HTTP GET over a socket (not inject), noting when the first byte of the body came. */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        let firstByteAt = Number.NaN;
        res.on("data", (chunk: Buffer) => {
          if (chunks.length === 0) firstByteAt = performance.now();
          chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            firstByteAt,
          }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}
