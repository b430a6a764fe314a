import type { FastifyInstance } from "fastify";

export type Route = { method: string; url: string };

/**
 * Every route of the app as registered (pattern and method, without the HEAD twins Fastify adds),
 * read from the app itself, so a route added later is checked without anyone listing it.
 */
export function routeTable(app: FastifyInstance): Route[] {
  const found: Route[] = [];
  const path: string[] = [];
  for (const line of app.printRoutes().split("\n")) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    path.length = match[1]!.length / 4;
    path.push(match[2]!);
    if (!match[3]) continue;
    const url = path.join("");
    for (const method of match[3].split(", ")) if (method !== "HEAD") found.push({ method, url });
  }
  return found;
}
