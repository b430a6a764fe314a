import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { userOrLogIn } from "../../web/guards.ts";
import { languages, t } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { sendHtml } from "../../web/reply.ts";
import type { User } from "../../web/user.ts";
import {
  changeAlert,
  feedLinks,
  readFilters,
  removeSavedSearch,
  renewFeedToken,
  saveSearch,
} from "../saved-searches.ts";
import { listSavedSearches } from "../store.ts";
import { type PageState, type SaveForm, savedSearchesPage } from "../views/saved-searches.ts";

/**
 * /{lang}/account/saved-searches: the list, and the form the search page's "Save this search"
 * opens with the search in its query string (the search page has no form token of its own, so
 * it can stay a page every visitor shares; saving is confirmed here).
 */
export function savedSearchPages(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const path = `/${lang}/account/saved-searches`;
    const loggedIn = (request: FastifyRequest, reply: FastifyReply) =>
      userOrLogIn(request, reply, lang, request.method === "GET" ? request.url : path);
    const show = async (
      request: FastifyRequest,
      reply: FastifyReply,
      user: User,
      status: number,
      state: Partial<PageState>,
    ) => {
      const list = await listSavedSearches(deps.db, user.id);
      const full: PageState = { list, form: null, problem: null, info: null, feeds: null, ...state };
      return sendHtml(reply, status, savedSearchesPage(pageContext(lang, request, reply), full));
    };

    app.get(path, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      const query = request.query as Record<string, unknown>;
      return show(request, reply, user, 200, { form: formFrom(query, false) });
    });

    app.post(path, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      const body = request.body as Record<string, unknown>;
      try {
        const { search, feedToken } = await saveSearch(deps, user.id, {
          name: formValue(body, "name"),
          query: formValue(body, "q"),
          filters: readFilters(body),
          alert: formValue(body, "alert"),
        });
        const links = feedLinks(deps.config.publicUrl, lang, search.id, feedToken);
        // Shown once, in the answer to the POST: the token is not stored.
        return show(request, reply, user, 201, {
          info: t(lang, "alerts.saved"),
          feeds: { searchId: search.id, links },
        });
      } catch (error) {
        const failure = formFailure(lang, error);
        return show(request, reply, user, failure.status, { problem: failure, form: formFrom(body, true) });
      }
    });

    app.post(`${path}/:id/delete`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      await removeSavedSearch(deps, user.id, idOf(request));
      return reply.redirect(path, 303);
    });

    app.post(`${path}/:id/alert`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      await changeAlert(deps, user.id, idOf(request), formValue(request.body, "alert"));
      return reply.redirect(path, 303);
    });

    app.post(`${path}/:id/feed-token`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      const id = idOf(request);
      const token = await renewFeedToken(deps, user.id, id);
      const links = feedLinks(deps.config.publicUrl, lang, id, token);
      return show(request, reply, user, 200, { feeds: { searchId: id, links } });
    });
  }
}

function idOf(request: FastifyRequest): number {
  const id = parseId((request.params as { id: string }).id);
  if (id === null) throw new UserError("not_found");
  return id;
}

/** The search to save, from the search page's query string (or a form sent back with a problem). */
function formFrom(source: Record<string, unknown>, always: boolean): SaveForm | null {
  const words = formValue(source, "q").trim();
  const filters = readFilters(source);
  if (!always && words === "" && Object.keys(filters).length === 0) return null;
  const name = formValue(source, "name") || words || Object.values(filters).join(", ");
  return { words, filters, name: name.slice(0, 200), alert: formValue(source, "alert") || "none" };
}
