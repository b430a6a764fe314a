import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { pageContext } from "../../web/context.ts";
import { formFailure, formValue } from "../../web/form.ts";
import { userOrLogIn } from "../../web/guards.ts";
import { type Lang, languages } from "../../web/i18n.ts";
import { Id, parseId } from "../../web/ids.ts";
import { sendHtml } from "../../web/reply.ts";
import type { User } from "../../web/user.ts";
import { listSavedSearches } from "../store.ts";
import { type WebhookView, webhooksView } from "../views/webhooks.ts";
import { createWebhook, removeWebhook, sendTestDelivery, webhooksOf } from "../webhooks.ts";
import { WebhookBody, WebhookCreated, WebhookList, webhookJson } from "../webhooks-schema.ts";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const IdParams = Type.Object({ id: Id });

/**
 * Webhooks: `/api/v1/me/webhooks` for a session (CSRF as every JSON route: web/csrf.ts) or any
 * API token of the user, and the account's webhooks page, `/{lang}/account/webhooks`.
 */
export function webhookRoutes(instance: FastifyInstance, deps: FeatureDeps): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  // Registering resolves the address (DNS): limited per client like the account forms.
  const limited = { rateLimit: { max: deps.config.rateLimits.authPerIpPerMinute, timeWindow: "1 minute" } };
  const user = (request: FastifyRequest): User => {
    if (!request.user) throw new UserError("not_authenticated");
    return request.user;
  };

  app.get(
    "/api/v1/me/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Your webhooks, each with its most recent deliveries",
        response: { 200: WebhookList, ...errors },
      },
    },
    async (request) => ({ webhooks: (await webhooksOf(deps, user(request).id)).map(webhookJson) }),
  );

  app.post(
    "/api/v1/me/webhooks",
    {
      config: limited,
      schema: {
        tags: ["webhooks"],
        summary: "Register a webhook; the answer holds its signing secret, shown this once",
        body: WebhookBody,
        response: { 201: WebhookCreated, ...errors },
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(deps, user(request).id, request.body);
      return reply.status(201).send({ ...webhookJson({ ...webhook, deliveries: [] }), secret });
    },
  );

  app.delete(
    "/api/v1/me/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Delete a webhook; deliveries not yet made are not made",
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeWebhook(deps, user(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const lang of languages) pageRoutes(app, deps, lang, limited);
}

function pageRoutes(app: FastifyInstance, deps: FeatureDeps, lang: Lang, limited: object): void {
  const path = `/${lang}/account/webhooks`;
  const loggedIn = (request: FastifyRequest, reply: FastifyReply) => userOrLogIn(request, reply, lang, path);
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    status: number,
    view: WebhookView,
  ) => {
    const [hooks, searches] = await Promise.all([
      webhooksOf(deps, user.id),
      listSavedSearches(deps.db, user.id),
    ]);
    const ctx = pageContext(lang, request, reply);
    return sendHtml(reply, status, webhooksView(ctx, hooks, searches, view, deps.now()));
  };
  const idOf = (request: FastifyRequest) => {
    const id = parseId((request.params as { id: string }).id);
    if (id === null) throw new UserError("not_found");
    return id;
  };

  app.get(path, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    const done = (request.query as Record<string, string | undefined>).done;
    return show(request, reply, user, 200, { info: done === "test" || done === "deleted" ? done : null });
  });

  app.post(path, { config: limited }, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    const url = formValue(request.body, "url");
    const search = formValue(request.body, "savedSearch");
    try {
      const savedSearch = search ? parseId(search) : null;
      if (search && savedSearch === null)
        throw new UserError("invalid_input", {}, { savedSearch: ["field.invalid"] });
      const { webhook, secret } = await createWebhook(deps, user.id, { url, savedSearch });
      // Shown once, in the answer to the POST, like an API token.
      return show(request, reply, user, 201, { created: { id: webhook.id, secret } });
    } catch (error) {
      const failure = formFailure(lang, error);
      return show(request, reply, user, failure.status, { failure, typed: { url, savedSearch: search } });
    }
  });

  app.post(`${path}/:id/test`, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    await sendTestDelivery(deps, user.id, idOf(request));
    return reply.redirect(`${path}?done=test`, 303);
  });

  app.post(`${path}/:id/delete`, async (request, reply) => {
    const user = loggedIn(request, reply);
    if (!user) return reply;
    await removeWebhook(deps, user.id, idOf(request));
    return reply.redirect(`${path}?done=deleted`, 303);
  });
}
