import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type ChildServer, freePort, startChild } from "./portal.ts";
import { ROOT } from "./settings.ts";

/** The minimal Node static server (bench/static-server.ts) serving `root`. */
export async function startStaticServer(root: string, logDir: string): Promise<ChildServer> {
  const port = await freePort();
  return startChild({
    name: "static-server",
    script: path.join(ROOT, "bench", "static-server.ts"),
    args: [root, String(port)],
    port,
    logDir,
    readyPath: "/healthz",
  });
}

const NGINX = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"];

/** nginx serving `root` with sendfile, one worker, no access log; null when nginx is not installed. */
export async function startNginx(root: string, logDir: string): Promise<ChildServer | null> {
  const binary = process.env.NGINX_PATH ?? NGINX.find((candidate) => existsSync(candidate));
  if (!binary || !existsSync(binary)) return null;
  const port = await freePort();
  const conf = path.join(logDir, "nginx.conf");
  await writeFile(
    conf,
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${path.join(logDir, "nginx.pid")};
error_log ${path.join(logDir, "nginx-error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path ${logDir};
  proxy_temp_path ${logDir};
  fastcgi_temp_path ${logDir};
  uwsgi_temp_path ${logDir};
  scgi_temp_path ${logDir};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = /healthz { return 200 "ok"; }
  }
}
`,
  );
  return startChild({
    name: "nginx",
    command: binary,
    args: ["-c", conf, "-p", logDir, "-e", path.join(logDir, "nginx-error.log")],
    port,
    logDir,
    readyPath: "/healthz",
  });
}
