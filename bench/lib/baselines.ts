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

function nginxBinary(): string | null {
  const binary = process.env.NGINX_PATH ?? NGINX.find((candidate) => existsSync(candidate));
  return binary && existsSync(binary) ? binary : null;
}

/**
 * What both nginx set-ups start with: one worker in the foreground, its pid, errors and temporary
 * files in `logDir` (files named after `name`), no access log; then the `http` block, left open.
 */
function nginxHead(name: string, logDir: string): string {
  return `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${path.join(logDir, `${name}.pid`)};
error_log ${path.join(logDir, `${name}-error.log`)} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${logDir};
  proxy_temp_path ${logDir};
  fastcgi_temp_path ${logDir};
  uwsgi_temp_path ${logDir};
  scgi_temp_path ${logDir};`;
}

/** nginx serving `root` with sendfile, one worker, no access log; null when nginx is not installed. */
export async function startNginx(root: string, logDir: string): Promise<ChildServer | null> {
  const binary = nginxBinary();
  if (!binary) return null;
  const port = await freePort();
  const conf = path.join(logDir, "nginx.conf");
  await writeFile(
    conf,
    `${nginxHead("nginx", logDir)}
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
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

/**
 * nginx as a caching reverse proxy in front of `upstream` (proxy_cache, as a site would put it in
 * front of the portal on the day of a summit): it keeps what the portal's Cache-Control allows and
 * nothing else, revalidates with the portal's validators, serves stale while it refreshes, and
 * tells in X-Cache-Status whether it answered from its cache. Null when nginx is not installed.
 */
export async function startNginxCache(upstream: string, logDir: string): Promise<ChildServer | null> {
  const binary = nginxBinary();
  if (!binary) return null;
  const port = await freePort();
  const conf = path.join(logDir, "nginx-cache.conf");
  const cache = path.join(logDir, "nginx-cache");
  await writeFile(
    conf,
    `${nginxHead("nginx-cache", logDir)}
  proxy_cache_path ${cache} levels=1:2 keys_zone=pages:10m max_size=200m inactive=10m use_temp_path=off;
  upstream portal { server ${new URL(upstream).host}; keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location = /nginx-healthz { return 200 "ok"; }
    location / {
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_cache pages;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_use_stale updating error timeout;
      proxy_cache_background_update on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`,
  );
  return startChild({
    name: "nginx-cache",
    command: binary,
    args: ["-c", conf, "-p", logDir, "-e", path.join(logDir, "nginx-cache-error.log")],
    port,
    logDir,
    readyPath: "/nginx-healthz",
  });
}
