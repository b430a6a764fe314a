import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { requestLanguage } from "../web/error-handler.ts";
import { t } from "../web/i18n.ts";
import { clearSessionCookie, setSessionCookie } from "./cookie.ts";
import type { AccountsDeps } from "./deps.ts";
import { requireUser } from "./guards.ts";
import { logIn } from "./login.ts";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset.ts";
import { subscribeNewsletter, unsubscribeNewsletter } from "./profile.ts";
import { register, resendVerification, verifyEmail } from "./registration.ts";
import {
  Accepted,
  EmailBody,
  ErrorBody,
  LoginBody,
  Profile,
  type ProfileJson,
  RegisterBody,
  ResetConfirmBody,
  VerifyBody,
} from "./schema.ts";
import { endSession } from "./sessions.ts";
import type { User } from "./store.ts";

export function profileJson(user: User): ProfileJson {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organisation: user.organisation,
    country: user.country,
    language: user.language,
    role: user.role,
    newsletter: user.newsletter,
    createdAt: user.createdAt.toISOString(),
  };
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** The account flows as JSON under /api/v1, for the browser islands and newsroom tools. */
export function accountsApi(
  deps: AccountsDeps,
  options: { secureCookies: boolean; rateLimit: { max: number; timeWindow: string } },
) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const limited = { rateLimit: options.rateLimit };
    const accepted = (
      request: FastifyRequest,
      reply: FastifyReply,
      key: "api.code_sent" | "api.reset_sent",
    ) => reply.status(202).send({ status: "accepted" as const, message: t(requestLanguage(request), key) });

    app.post(
      "/auth/register",
      {
        config: limited,
        schema: { tags: ["auth"], body: RegisterBody, response: { 202: Accepted, ...errors } },
      },
      async (request, reply) => {
        await register(deps, request.body);
        return accepted(request, reply, "api.code_sent");
      },
    );

    app.post(
      "/auth/verify",
      {
        config: limited,
        schema: { tags: ["auth"], body: VerifyBody, response: { 200: Profile, ...errors } },
      },
      async (request, reply) => {
        const { user, sessionToken } = await verifyEmail(deps, request.body.email, request.body.code);
        setSessionCookie(reply, sessionToken, options.secureCookies);
        return profileJson(user);
      },
    );

    app.post(
      "/auth/resend",
      {
        config: limited,
        schema: { tags: ["auth"], body: EmailBody, response: { 202: Accepted, ...errors } },
      },
      async (request, reply) => {
        await resendVerification(deps, request.body.email);
        return accepted(request, reply, "api.code_sent");
      },
    );

    app.post(
      "/auth/login",
      { config: limited, schema: { tags: ["auth"], body: LoginBody, response: { 200: Profile, ...errors } } },
      async (request, reply) => {
        const { user, sessionToken } = await logIn(deps, request.body.email, request.body.password);
        setSessionCookie(reply, sessionToken, options.secureCookies);
        return profileJson(user);
      },
    );

    app.post(
      "/auth/logout",
      { schema: { tags: ["auth"], response: { 204: Type.Null() } } },
      async (request, reply) => {
        await endSession(deps, request.sessionToken);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/auth/password-reset",
      {
        config: limited,
        schema: { tags: ["auth"], body: EmailBody, response: { 202: Accepted, ...errors } },
      },
      async (request, reply) => {
        await requestPasswordReset(deps, request.body.email);
        return accepted(request, reply, "api.reset_sent");
      },
    );

    app.post(
      "/auth/password-reset/confirm",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          body: ResetConfirmBody,
          response: { 200: Type.Object({ message: Type.String() }), ...errors },
        },
      },
      async (request) => {
        await confirmPasswordReset(deps, request.body.email, request.body.code, request.body.password);
        return { message: t(requestLanguage(request), "reset.done.title") };
      },
    );

    app.get(
      "/me",
      { schema: { tags: ["account"], response: { 200: Profile, 401: ErrorBody } } },
      async (request) => profileJson(requireUser(request)),
    );

    app.put(
      "/me/newsletter",
      { schema: { tags: ["account"], response: { 204: Type.Null(), 401: ErrorBody } } },
      async (request, reply) => {
        await subscribeNewsletter(deps, requireUser(request));
        return reply.status(204).send(null);
      },
    );

    app.delete(
      "/me/newsletter",
      { schema: { tags: ["account"], response: { 204: Type.Null(), 401: ErrorBody } } },
      async (request, reply) => {
        await unsubscribeNewsletter(deps, requireUser(request).id);
        return reply.status(204).send(null);
      },
    );
  };
}
