import { type Html, html } from "../web/html.ts";

/**
 * The script tag of a client island (src/web/client/<name>.ts). The page's CSP allows only
 * scripts from this site, so islands are files Vite builds into /static/build/ (vite.config.ts).
 */
export function islandScript(name: string): Html {
  return html`<script type="module" src="/static/build/${name}.js"></script>`;
}
