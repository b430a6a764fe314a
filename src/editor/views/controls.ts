import type { FieldProblems } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, type MessageKey, t, tDynamic } from "../../web/i18n.ts";

/** Form controls of the workspace: labelled, with their hint and errors tied to them for screen readers. */

type Control = {
  name: string;
  label: string;
  value: string;
  hint?: string;
  required?: boolean;
  /** The language of what is typed in, for bilingual fields (screen readers, spell checkers). */
  contentLang?: Lang;
};

type InputControl = Control & {
  type?: "text" | "datetime-local" | "time" | "file";
  accept?: string;
  className?: string;
  inputmode?: "decimal";
};

function wrap(lang: Lang, c: Control, errors: FieldProblems, control: (aria: Html) => Html): Html {
  const problems = errors[c.name] ?? [];
  const describedBy = [c.hint ? `${c.name}-hint` : "", problems.length ? `${c.name}-error` : ""]
    .filter(Boolean)
    .join(" ");
  const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ""}${problems.length ? html` aria-invalid="true"` : ""}${c.required ? " required" : ""}${c.contentLang ? html` lang="${c.contentLang}"` : ""}`;
  return html`<div class="field${problems.length ? " invalid" : ""}">
<label for="${c.name}">${c.label}</label>
${c.hint ? html`<div class="hint" id="${c.name}-hint">${c.hint}</div>` : ""}
${problems.length ? html`<ul class="error" id="${c.name}-error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
${control(aria)}
</div>`;
}

export function input(lang: Lang, c: InputControl, errors: FieldProblems): Html {
  return wrap(
    lang,
    c,
    errors,
    (aria) =>
      html`<input id="${c.name}" name="${c.name}" type="${c.type ?? "text"}"${c.type === "file" ? "" : html` value="${c.value}"`}${c.accept ? html` accept="${c.accept}"` : ""}${c.className ? html` class="${c.className}"` : ""}${c.inputmode ? html` inputmode="${c.inputmode}"` : ""}${aria}>`,
  );
}

export function textarea(lang: Lang, c: Control & { rows?: number }, errors: FieldProblems): Html {
  return wrap(
    lang,
    c,
    errors,
    (aria) =>
      html`<textarea id="${c.name}" name="${c.name}" rows="${c.rows ?? 4}"${aria}>${c.value}</textarea>`,
  );
}

export function selectControl(
  lang: Lang,
  c: Control & { options: { value: string; label: string }[]; empty?: string },
  errors: FieldProblems,
): Html {
  return wrap(
    lang,
    c,
    errors,
    (aria) => html`<select id="${c.name}" name="${c.name}"${aria}>
${c.empty === undefined ? "" : html`<option value="">${c.empty}</option>`}
${c.options.map((o) => html`<option value="${o.value}"${o.value === c.value ? " selected" : ""}>${o.label}</option>`)}
</select>`,
  );
}

/**
 * A bilingual field: English and French side by side on wide screens, stacked on narrow
 * ones, so an editor translating sees both at once.
 */
export function bilingualControl(
  lang: Lang,
  f: { name: string; label: MessageKey; values: Record<string, string>; multiline?: number; hint?: string },
  errors: FieldProblems,
): Html {
  const column = (content: Lang) => {
    const c = {
      name: `${f.name}_${content}`,
      label: `${t(lang, f.label)} (${t(lang, `editor.lang.${content}`)})`,
      value: f.values[`${f.name}_${content}`] ?? "",
      contentLang: content,
      ...(f.hint ? { hint: f.hint } : {}),
    };
    return f.multiline ? textarea(lang, { ...c, rows: f.multiline }, errors) : input(lang, c, errors);
  };
  return html`<div class="bilingual">${column("en")}${column("fr")}</div>`;
}
