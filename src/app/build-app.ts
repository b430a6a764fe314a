import { randomBytes } from "node:crypto";
import path from "node:path";
import formbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from "fastify";
import { userForBearer } from "../accounts/api-tokens.ts";
import { readAccountCookie } from "../accounts/cookie.ts";
import { accountsRoutes } from "../accounts/routes.ts";
import { userForSession } from "../accounts/sessions.ts";
import { secret } from "../accounts/store.ts";
import { alertsRoutes } from "../alerts/routes.ts";
import { catalogueRoutes } from "../catalogue/routes.ts";
import type { ItemPanel } from "../catalogue/views/item.ts";
import type { FeatureDeps } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { PROJECT_ROOT } from "../core/paths.ts";
import { panelState } from "../downloads/panel.ts";
import { downloadRoutes } from "../downloads/routes.ts";
import { downloadPanelHtml } from "../downloads/views/panel.ts";
import type { LiveControl } from "../editor/live.ts";
import { editorRoutes } from "../editor/routes.ts";
import { createLiveItem, endLive, renewStreamKey } from "../ingest/live/streams.ts";
import { ingestRoutes } from "../ingest/routes.ts";
import { newsletterRoutes } from "../newsletter/routes.ts";
import { firstValueQuery, refuseBadInput } from "../web/bad-input.ts";
import { redirectTrailingSlashes } from "../web/canonical.ts";
import { answerClientError } from "../web/client-error.ts";
import { registerCsrfRule } from "../web/csrf.ts";
import { registerErrorHandler } from "../web/error-handler.ts";
import { registerHttpCaching } from "../web/http-cache.ts";
import { registerSecurity } from "../web/security.ts";
import { validatorsByPart } from "../web/validators.ts";

/** Assembles the web process from the feature plugins; it does not listen (tests call `inject`). */
export async function buildApp(
  features: FeatureDeps,
  options: { logger?: FastifyServerOptions["logger"] } = {},
): Promise<FastifyInstance> {
  const { config, db } = features;
  const accounts = features;
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: config.trustProxy,
    routerOptions: { querystringParser: firstValueQuery },
    // Every field's problem at once, as the pages' forms do, not only the first one Ajv meets. A
    // field the schema does not know is refused, not dropped: `{"q": …}` for `query` or a
    // misspelt "embargoUntill" would otherwise be a silent no-op (the OpenAPI says
    // additionalProperties: false).
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    // JSON bodies are checked as sent, without Ajv's coercion of types (web/validators.ts).
    schemaController: { compilersFactory: { buildValidator: validatorsByPart() } },
    clientErrorHandler: answerClientError,
  });
  const makeSecret = () => randomBytes(32).toString("hex");

  acceptEmptyJsonBodies(app);
  await app.register(formbody);
  await registerSecurity(app, {
    cookieSecret: await secret(db, "cookie", makeSecret),
    secureCookies: config.secureCookies,
  });
  // After the cookie parser: a refusal is a page, which needs the cookies for its form tokens.
  refuseBadInput(app);
  // Before the session is looked up: a redirect needs no database.
  redirectTrailingSlashes(app);
  // After the cookie plugin, whose hook writes the Set-Cookie this one looks at.
  await registerHttpCaching(app, config.httpCache);
  await app.register(fastifyStatic, {
    root: path.join(PROJECT_ROOT, "src", "web", "public"),
    prefix: "/static/",
    maxAge: "1h",
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Pressroom API",
        version: "1.0.0",
        description: "Accounts, catalogue and downloads of Pressroom.",
      },
      servers: [{ url: config.publicUrl }],
    },
    hideUntagged: true,
  });

  app.decorateRequest("user", null);
  app.decorateRequest("sessionToken", undefined);
  app.addHook("onRequest", async (request) => {
    request.sessionToken = readAccountCookie(request, "session", config.secureCookies);
    const session = await userForSession(accounts, request.sessionToken);
    // API tokens open the JSON API only, never pages or their forms (issue 8).
    request.user =
      session ?? (isApiRoute(request) ? await userForBearer(accounts, request.headers.authorization) : null);
    // A token that opens nothing is said to be wrong, even where no token is needed (RFC 6750):
    // a newsroom tool must not read a revoked token's answers as an anonymous visitor's.
    const bearer = /^bearer\s/i.test(request.headers.authorization ?? "");
    if (!request.user && bearer && isApiRoute(request)) throw new UserError("invalid_token");
  });
  registerCsrfRule(app);
  registerErrorHandler(app);

  app.get("/healthz", async (_request, reply) => {
    try {
      await db.query("SELECT 1");
      return { status: "ok" };
    } catch {
      return reply.status(503).send({ status: "database unreachable" });
    }
  });
  const itemPanel: ItemPanel = async (ctx, item, query) =>
    downloadPanelHtml(ctx, item, await panelState(features, ctx.user, item), query);
  await app.register(catalogueRoutes(features, { itemPanel }));
  // Live items are ingest's; the workspace gets them handed in, as the catalogue gets the panel.
  const live: LiveControl = {
    create: (fields, scheduledAt) => createLiveItem(features, fields, scheduledAt),
    end: (itemId) => endLive(features, itemId),
    renewKey: (itemId) => renewStreamKey(features, itemId),
  };
  await app.register(editorRoutes(features, { live }));
  await app.register(ingestRoutes(features));
  await app.register(downloadRoutes(features));
  await app.register(newsletterRoutes(features));
  await app.register(accountsRoutes(features));
  await app.register(alertsRoutes(features));
  app.get("/api/v1/openapi.json", async () => app.swagger());
  return app;
}

/** Decided on the route that runs, whatever the spelling of the URL (`/%61pi/…`). */
function isApiRoute(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route?.startsWith("/api/") === true;
}

/** Bodyless JSON requests (log-out, subscribe) may still say `Content-Type: application/json`. */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit: 1_048_576 },
    (_request, body, done) => {
      const text = typeof body === "string" ? body : body.toString("utf8");
      if (text.trim() === "") return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        const error = new Error("Invalid JSON body") as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    },
  );
}
