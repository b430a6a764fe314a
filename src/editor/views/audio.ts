import { audioLabels, type Master, type MediaItem } from "../../catalogue/types.ts";
import { channelsLabel } from "../../catalogue/views/item.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FieldProblems } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { t } from "../../web/i18n.ts";
import { selectControl } from "./controls.ts";

/** One select per audio track of the master: which is the floor, which the English interpretation… */
export function audioSection(ctx: PageContext, item: MediaItem, master: Master, errors: FieldProblems): Html {
  const { lang } = ctx;
  if (master.audio.length === 0) return html``;
  const options = audioLabels.map((label) => ({ value: label, label: t(lang, `editor.audio.${label}`) }));
  const tracks = master.audio.map((track, index) => {
    const current = master.audioLabels.find((l) => l.index === index)?.label ?? "";
    const details = t(lang, "editor.audio.track_details", {
      channels: channelsLabel(lang, track.channels),
      codec: track.codec,
      language: track.language ?? "—",
    });
    return selectControl(
      lang,
      {
        name: `track_${index}`,
        label: t(lang, "editor.audio.track", { number: index + 1 }),
        hint: details,
        value: current,
        empty: t(lang, "editor.audio.unlabelled"),
        options,
      },
      errors,
    );
  });
  return html`<section aria-labelledby="audio-heading"><h2 id="audio-heading">${t(lang, "editor.audio.title")}</h2>
${errorSummary(lang, null, errors)}
<form method="post" action="/${lang}/editor/items/${item.id}/audio" novalidate>${csrfInput(ctx.csrfToken)}
<div class="pair">${tracks}</div>
<button type="submit">${t(lang, "editor.audio.save")}</button></form></section>`;
}
