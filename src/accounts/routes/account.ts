import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { userOrLogIn } from "../../web/guards.ts";
import { languages, t } from "../../web/i18n.ts";
import { parseId } from "../../web/ids.ts";
import { sendHtml } from "../../web/reply.ts";
import { createApiToken } from "../api-tokens.ts";
import { changePassword, changeProfile, subscribeNewsletter, unsubscribeNewsletter } from "../profile.ts";
import type { User } from "../store.ts";
import { listApiTokens, revokeApiToken } from "../token-store.ts";
import { accountView, type Problems, type Tokens } from "../views/account.ts";
import { limitedRoute, pageOptions } from "./shared.ts";

export function accountRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  for (const lang of languages) {
    const options = pageOptions(deps, lang);
    const post = limitedRoute(options);

    const loggedIn = (request: FastifyRequest, reply: FastifyReply) =>
      userOrLogIn(request, reply, lang, `/${lang}/account`);
    const show = async (
      request: FastifyRequest,
      reply: FastifyReply,
      user: User,
      status: number,
      info: string | null,
      problems: Problems,
      created: string | null = null,
      problem?: Tokens["problem"],
    ) => {
      const tokens = {
        list: await listApiTokens(deps.db, user.id),
        created,
        ...(problem ? { problem } : {}),
      };
      return sendHtml(
        reply,
        status,
        accountView(pageContext(lang, request, reply), user, info, problems, tokens),
      );
    };

    app.get(`/${lang}/account`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      const saved = (request.query as Record<string, string | undefined>).saved;
      const info =
        saved === "profile"
          ? t(lang, "account.saved")
          : saved === "password"
            ? t(lang, "account.password.saved")
            : saved === "revoked"
              ? t(lang, "account.tokens.revoked")
              : null;
      return show(request, reply, user, 200, info, {});
    });

    app.post(`/${lang}/account`, post, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      try {
        const updated = await changeProfile(deps, user, request.body as Record<string, unknown>);
        // A new language takes effect at once: the page comes back in it.
        return reply.redirect(`/${updated.language}/account?saved=profile`, 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return show(request, reply, user, failure.status, null, { profile: failure });
      }
    });

    app.post(`/${lang}/account/newsletter`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      if (formValue(request.body, "subscribe") === "1") await subscribeNewsletter(deps, user);
      else await unsubscribeNewsletter(deps, user.id);
      return reply.redirect(`/${lang}/account`, 303);
    });

    app.post(`/${lang}/account/tokens`, post, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      try {
        const token = await createApiToken(
          deps,
          user,
          formValue(request.body, "tokenName"),
          formValue(request.body, "scope") || "read",
        );
        // Shown once, in the answer to the POST: it is never stored in clear.
        return show(request, reply, user, 201, null, {}, token);
      } catch (error) {
        const failure = formFailure(lang, error);
        const problem = {
          message: failure.message,
          errors: failure.errors,
          name: formValue(request.body, "tokenName"),
        };
        return show(request, reply, user, failure.status, null, {}, null, problem);
      }
    });

    app.post(`/${lang}/account/tokens/:id/revoke`, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      const id = parseId((request.params as { id: string }).id);
      if (id !== null && (await revokeApiToken(deps.db, user.id, id)))
        return reply.redirect(`/${lang}/account?saved=revoked#tokens-heading`, 303);
      // Someone else's token is not found either: saying "revoked" would mislead (probe L6).
      const problem = { message: t(lang, "account.tokens.not_found"), errors: {}, name: "" };
      return show(request, reply, user, 404, null, {}, null, problem);
    });

    // A form shown again with its errors has the address it was posted to: reloaded, or opened
    // from the history, it goes back to the account page rather than to a 404 (found by hand).
    for (const form of ["newsletter", "tokens", "password", "tokens/:id/revoke"])
      app.get(`/${lang}/account/${form}`, (_request, reply) => reply.redirect(`/${lang}/account`, 303));

    app.post(`/${lang}/account/password`, post, async (request, reply) => {
      const user = loggedIn(request, reply);
      if (!user) return reply;
      try {
        await changePassword(
          deps,
          user,
          formValue(request.body, "currentPassword"),
          formValue(request.body, "newPassword"),
          request.sessionToken,
          { revokeTokens: formValue(request.body, "revokeTokens") === "on" },
        );
        return reply.redirect(`/${lang}/account?saved=password`, 303);
      } catch (error) {
        const failure = formFailure(lang, error);
        return show(request, reply, user, failure.status, null, { password: failure });
      }
    });
  }
}
