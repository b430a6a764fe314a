import { itemPath } from "../../catalogue/urls.ts";
import type { PageContext } from "../../web/context.ts";
import { csrfInput, errorSummary, type FormFailure, field, notice } from "../../web/form.ts";
import { type Html, html } from "../../web/html.ts";
import { type Lang, t } from "../../web/i18n.ts";
import { formatDateTime } from "../../web/intl.ts";
import { page } from "../../web/layout.ts";
import type { SavedSearch } from "../store.ts";
import type { WebhookWithDeliveries } from "../webhooks.ts";
import type { Delivery } from "../webhooks-store.ts";

/** What the page says beyond the list: a secret just made, a form that failed, an action done. */
export type WebhookView = {
  created?: { id: number; secret: string };
  failure?: FormFailure;
  typed?: { url: string; savedSearch: string };
  info?: "test" | "deleted" | null;
};

/** The account's webhooks page: each webhook, its recent deliveries, a test button; a form to add one. */
export function webhooksView(
  ctx: PageContext,
  hooks: WebhookWithDeliveries[],
  searches: SavedSearch[],
  view: WebhookView,
  now: Date,
) {
  const { lang } = ctx;
  const errors = view.failure?.errors ?? {};
  const chosen = view.typed?.savedSearch ?? "";
  return page(
    ctx,
    t(lang, "webhooks.title"),
    html`<p><a href="/${lang}/account">${t(lang, "webhooks.back")}</a></p>
<h1>${t(lang, "webhooks.title")}</h1>
<p>${t(lang, "webhooks.intro")}</p>
${view.info ? notice(t(lang, view.info === "test" ? "webhooks.test.queued" : "webhooks.deleted")) : ""}
${view.created ? html`<div class="notice" role="status"><p>${t(lang, "webhooks.secret_once")}</p><p><code class="token">${view.created.secret}</code></p></div>` : ""}
${hooks.length ? hooks.map((hook) => hookSection(ctx, hook, now)) : html`<p>${t(lang, "webhooks.none")}</p>`}
<section aria-labelledby="add-webhook">
<h2 id="add-webhook">${t(lang, "webhooks.add")}</h2>
${errorSummary(lang, view.failure?.message ?? null, errors)}
<form method="post" action="/${lang}/account/webhooks" novalidate>${csrfInput(ctx.csrfToken)}
${field(lang, { name: "url", label: "webhooks.url", value: view.typed?.url ?? "", hint: t(lang, "webhooks.url.hint") }, errors)}
<div class="field${errors.savedSearch ? " invalid" : ""}">
<label for="savedSearch">${t(lang, "webhooks.for")}</label>
<select id="savedSearch" name="savedSearch">
<option value="">${t(lang, "webhooks.for.everything")}</option>
${searches.map((s) => html`<option value="${String(s.id)}"${String(s.id) === chosen ? " selected" : ""}>${s.name}</option>`)}
</select>
</div>
<button type="submit">${t(lang, "webhooks.create")}</button>
</form>
</section>`,
  );
}

function hookSection(ctx: PageContext, hook: WebhookWithDeliveries, now: Date): Html {
  const { lang } = ctx;
  const heading = `webhook-${hook.id}`;
  return html`<section aria-labelledby="${heading}" class="webhook">
<h2 id="${heading}"><code>${hook.url}</code></h2>
<p>${hook.savedSearch ? t(lang, "webhooks.for.search", { name: hook.savedSearch.name }) : t(lang, "webhooks.for.everything")}
· ${t(lang, "webhooks.created_on", { date: formatDateTime(lang, hook.createdAt) })}</p>
<form method="post" action="/${lang}/account/webhooks/${hook.id}/test" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit">${t(lang, "webhooks.test.send")}</button></form>
<form method="post" action="/${lang}/account/webhooks/${hook.id}/delete" class="inline">${csrfInput(ctx.csrfToken)}
<button type="submit" class="link">${t(lang, "webhooks.delete")} <span class="visually-hidden">${hook.url}</span></button></form>
${
  hook.deliveries.length
    ? html`<div class="table-scroll"><table class="deliveries"><caption>${t(lang, "webhooks.deliveries")}</caption>
<thead><tr><th scope="col">${t(lang, "webhooks.delivery.time")}</th><th scope="col">${t(lang, "webhooks.delivery.what")}</th><th scope="col">${t(lang, "webhooks.delivery.status")}</th><th scope="col">${t(lang, "webhooks.delivery.attempts")}</th><th scope="col">${t(lang, "webhooks.delivery.last_error")}</th></tr></thead>
<tbody>${hook.deliveries.map((d) => deliveryRow(lang, d, now))}</tbody></table></div>`
    : html`<p>${t(lang, "webhooks.deliveries.none")}</p>`
}
</section>`;
}

function deliveryRow(lang: Lang, d: Delivery, now: Date): Html {
  const what =
    d.itemId === null
      ? t(lang, "webhooks.delivery.test")
      : html`<a href="${itemPath(lang, d.itemId)}">${t(lang, "webhooks.delivery.item", { id: d.itemId })}</a>`;
  const status =
    d.status === "pending" && d.nextAttemptAt && d.nextAttemptAt > now
      ? t(lang, "webhooks.status.retrying", { time: formatDateTime(lang, d.nextAttemptAt) })
      : t(lang, `webhooks.status.${d.status}`);
  const problem =
    d.status === "delivered"
      ? ""
      : d.lastStatusCode
        ? `HTTP ${d.lastStatusCode}`
        : errorText(lang, d.lastError);
  return html`<tr><td>${formatDateTime(lang, d.deliveredAt ?? d.createdAt)}</td><td>${what}</td><td>${status}</td><td>${String(d.attempts)}</td><td>${problem}</td></tr>`;
}

/** Our own reasons in the user's language (webhook-http.ts); the network's own errors as they are. */
function errorText(lang: Lang, error: string | null): string {
  if (error === null) return "";
  if (error === "timeout" || error === "item_unavailable") return t(lang, `webhooks.error.${error}`);
  const refused = /^address_refused: (.*)$/.exec(error);
  return refused ? t(lang, "webhooks.error.address_refused", { address: refused[1]! }) : error;
}
