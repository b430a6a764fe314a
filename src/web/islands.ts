import { type Html, html } from "./html.ts";

/**
 * The script tags of client islands (`src/<feature>/client/<name>.ts`). The page's CSP allows only
 * scripts from this site, so islands are files Vite builds into /static/build/ (vite.config.ts);
 * pages pass them data in `data-*` attributes.
 */
export function islandScripts(...names: string[]): Html {
  return html`${names.map((name) => html`<script type="module" src="/static/build/${name}.js"></script>`)}`;
}
