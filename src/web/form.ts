import { UserError } from "../core/errors.ts";
import { errorMessage } from "./error-handler.ts";
import { type Html, html } from "./html.ts";
import { colon, en, type Lang, type MessageKey, t, tDynamic } from "./i18n.ts";

/** Per-field problems, keyed by the input's name (the error summary links to it): message keys. */
export type FieldProblems = Record<string, string[]>;

export function addProblem(problems: FieldProblems, field: string, key: string): void {
  problems[field] = [...(problems[field] ?? []), key];
}

/** Throws one `invalid_input` error naming every problem, if there are any. */
export function throwIfProblems(problems: FieldProblems): void {
  if (Object.keys(problems).length > 0) throw new UserError("invalid_input", {}, problems);
}

/** What a form page shows again after a UserError; anything else is not the user's doing. */
export type FormFailure = { message: string; errors: FieldProblems; status: number };

export function formFailure(lang: Lang, error: unknown): FormFailure {
  if (!(error instanceof UserError)) throw error;
  return {
    message: errorMessage(lang, error.code, error.params),
    errors: error.fields,
    status: error.status,
  };
}

type Field = {
  name: string;
  label: MessageKey;
  type?: "text" | "email" | "password" | "tel";
  value?: string;
  autocomplete?: string;
  hint?: Html | string;
  required?: boolean;
  inputmode?: "numeric";
};

/** A labelled input with its hint and errors tied to it for screen readers. */
export function field(lang: Lang, f: Field, errors: FieldProblems): Html {
  const problems = errors[f.name] ?? [];
  const describedBy = [f.hint ? `${f.name}-hint` : "", problems.length ? `${f.name}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return html`<div class="field${problems.length ? " invalid" : ""}">
<label for="${f.name}">${t(lang, f.label)}</label>
${f.hint ? html`<div class="hint" id="${f.name}-hint">${f.hint}</div>` : ""}
${problems.length ? html`<ul class="error" id="${f.name}-error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
<input id="${f.name}" name="${f.name}" type="${f.type ?? "text"}" value="${f.type === "password" ? "" : (f.value ?? "")}"
${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ""}${f.inputmode ? html` inputmode="${f.inputmode}"` : ""}${f.required === false ? "" : " required"}${describedBy ? html` aria-describedby="${describedBy}"` : ""}${problems.length ? html` aria-invalid="true"` : ""}>
</div>`;
}

export function select(
  lang: Lang,
  f: {
    name: string;
    label: MessageKey;
    value: string;
    options: { value: string; label: string }[];
    autocomplete?: string;
  },
  errors: FieldProblems,
): Html {
  const problems = errors[f.name] ?? [];
  return html`<div class="field${problems.length ? " invalid" : ""}">
<label for="${f.name}">${t(lang, f.label)}</label>
${problems.length ? html`<ul class="error" id="${f.name}-error">${problems.map((p) => html`<li>${tDynamic(lang, p)}</li>`)}</ul>` : ""}
<select id="${f.name}" name="${f.name}" required${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ""}${problems.length ? html` aria-invalid="true" aria-describedby="${f.name}-error"` : ""}>
<option value="">${t(lang, "form.choose")}</option>
${f.options.map((o) => html`<option value="${o.value}"${o.value === f.value ? " selected" : ""}>${o.label}</option>`)}
</select>
</div>`;
}

/** The summary at the top of a form that failed: focusable, listing each problem with a link to its field. */
/**
 * The problems above a form, each a link to its field. `labelled`: the form's fields are the
 * account's (`field.<name>` is their label), whose generic messages are then given that label.
 */
export function errorSummary(
  lang: Lang,
  message: string | null,
  errors: FieldProblems,
  { labelled = false } = {},
): Html {
  const entries = Object.entries(errors);
  if (!message && entries.length === 0) return html``;
  // Focused as the page opens (autofocus): an editor who pressed a button far below it sees what
  // went wrong, and a keyboard user goes on from there.
  return html`<div class="error-summary" role="alert" tabindex="-1" autofocus>
<h2>${t(lang, "form.problem")}</h2>
${message ? html`<p>${message}</p>` : ""}
${entries.length ? html`<ul>${entries.map(([name, keys]) => keys.map((k) => html`<li><a href="#${name}">${labelled ? summaryLine(lang, name, k) : tDynamic(lang, k)}</a></li>`))}</ul>` : ""}
</div>`;
}

// Messages that do not say which field they are about ("This field is required.", "a digit").
const generic = /^(field\.(required|invalid|too_long)$|password\.rule\.)/;

/**
 * One problem as the summary lists it: a message that could be any field's is given the field's
 * label when the catalogue has one (`field.<name>`, "acceptTerms" → `field.accept_terms`), so
 * "This field is required." three times becomes "Full name: This field is required." and so on.
 */
function summaryLine(lang: Lang, field: string, key: string): string {
  const labelKey = `field.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  if (!generic.test(key) || !(labelKey in en)) return tDynamic(lang, key);
  return `${tDynamic(lang, labelKey)}${colon(lang)} ${tDynamic(lang, key)}`;
}

/** A status message; several are one box, a paragraph each (a save that points out two things). */
export function notice(text: string | readonly string[]): Html {
  const texts = typeof text === "string" ? [text] : text;
  return html`<div class="notice" role="status">${texts.map((line) => html`<p>${line}</p>`)}</div>`;
}

export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** Reads a string out of a parsed form body, or "" when absent. */
export function formValue(body: unknown, name: string): string {
  if (typeof body !== "object" || body === null) return "";
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
}
