import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeatureDeps } from "../../core/deps.ts";
import { UserError } from "../../core/errors.ts";
import { ErrorBody } from "../../web/api-schema.ts";
import { requestLanguage } from "../../web/error-handler.ts";
import { requireUser } from "../../web/guards.ts";
import { t } from "../../web/i18n.ts";
import { clearAccountCookie, readAccountCookie, setAccountCookie } from "../cookie.ts";
import { logIn } from "../login.ts";
import { confirmPasswordReset, requestPasswordReset } from "../password-reset.ts";
import { subscribeNewsletter, unsubscribeNewsletter } from "../profile.ts";
import { register, resendVerification, verifyEmail } from "../registration.ts";
import {
  Accepted,
  LoginBody,
  Profile,
  type ProfileJson,
  RegisterBody,
  ResendBody,
  ResetAccepted,
  ResetConfirmBody,
  ResetRequestBody,
  SignupAccepted,
  VerifyBody,
} from "../schema.ts";
import { endSession } from "../sessions.ts";
import type { User } from "../store.ts";

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
export function accountsApi(deps: FeatureDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const limited = { rateLimit: { max: deps.config.rateLimits.authPerIpPerMinute, timeWindow: "1 minute" } };
    const secure = deps.config.secureCookies;
    const message = (request: FastifyRequest, key: "api.code_sent" | "api.reset_sent") =>
      t(requestLanguage(request), key);
    /**
     * A code was e-mailed (or would have been: the answer is the same for an unknown address). The
     * flow's token goes in a cookie for a browser and in the body for a tool, which sends it back.
     */
    const codeSent = (
      request: FastifyRequest,
      reply: FastifyReply,
      flow: "signup" | "reset",
      token: string,
    ) => {
      setAccountCookie(reply, flow, token, secure);
      const text = message(request, flow === "signup" ? "api.code_sent" : "api.reset_sent");
      return reply.status(202).send({ status: "accepted" as const, message: text, [flow]: token });
    };

    app.post(
      "/auth/register",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Create an account: e-mails a verification code (valid 30 minutes)",
          body: RegisterBody,
          response: { 202: SignupAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const { token } = await register(deps, request.body, request.ip);
        return codeSent(request, reply, "signup", token);
      },
    );

    app.post(
      "/auth/verify",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Confirm the e-mailed code: the account is created and logged in",
          body: VerifyBody,
          response: { 200: Profile, ...errors },
        },
      },
      async (request, reply) => {
        const { email, code, password } = request.body;
        const token = request.body.signup ?? readAccountCookie(request, "signup", secure);
        const { user, sessionToken } = await verifyEmail(deps, { email, code, token, password }, request.ip);
        setAccountCookie(reply, "session", sessionToken, secure);
        clearAccountCookie(reply, "signup", secure);
        return profileJson(user);
      },
    );

    app.post(
      "/auth/resend",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Send the verification code again",
          body: ResendBody,
          response: { 202: Accepted, ...errors },
        },
      },
      async (request, reply) => {
        const token = request.body.signup ?? readAccountCookie(request, "signup", secure);
        await resendVerification(deps, request.body.email, token, request.ip);
        return reply
          .status(202)
          .send({ status: "accepted" as const, message: message(request, "api.code_sent") });
      },
    );

    app.post(
      "/auth/login",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Log in with e-mail and password (a session cookie)",
          body: LoginBody,
          response: { 200: Profile, ...errors },
        },
      },
      async (request, reply) => {
        const result = await logIn(deps, request.body.email, request.body.password, request.ip);
        if (result.kind === "unverified") {
          // The sign-up continues on this client; the answer says a code is needed.
          setAccountCookie(reply, "signup", result.signupToken, secure);
          throw new UserError("email_not_verified");
        }
        setAccountCookie(reply, "session", result.sessionToken, secure);
        return profileJson(result.user);
      },
    );

    app.post(
      "/auth/logout",
      { schema: { tags: ["auth"], summary: "Log out: ends this session", response: { 204: Type.Null() } } },
      async (request, reply) => {
        await endSession(deps, request.sessionToken);
        clearAccountCookie(reply, "session", secure);
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/auth/password-reset",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Forgotten password: e-mails a code to set a new one",
          body: ResetRequestBody,
          response: { 202: ResetAccepted, ...errors },
        },
      },
      async (request, reply) => {
        const given = request.body.reset ?? readAccountCookie(request, "reset", secure);
        const token = await requestPasswordReset(deps, request.body.email, given, request.ip);
        return codeSent(request, reply, "reset", token);
      },
    );

    app.post(
      "/auth/password-reset/confirm",
      {
        config: limited,
        schema: {
          tags: ["auth"],
          summary: "Set a new password with the e-mailed code",
          body: ResetConfirmBody,
          response: { 200: Type.Object({ message: Type.String() }), ...errors },
        },
      },
      async (request, reply) => {
        const { email, code, password } = request.body;
        const token = request.body.reset ?? readAccountCookie(request, "reset", secure);
        await confirmPasswordReset(deps, { email, code, password, token }, request.ip);
        clearAccountCookie(reply, "reset", secure);
        return { message: t(requestLanguage(request), "reset.done.title") };
      },
    );

    app.get(
      "/me",
      {
        schema: {
          tags: ["account"],
          summary: "The account this session or token acts for",
          response: { 200: Profile, 401: ErrorBody },
        },
      },
      async (request) => profileJson(requireUser(request)),
    );

    app.put(
      "/me/newsletter",
      {
        schema: {
          tags: ["account"],
          summary: "Subscribe to the newsletter",
          response: { 204: Type.Null(), 401: ErrorBody },
        },
      },
      async (request, reply) => {
        await subscribeNewsletter(deps, requireUser(request));
        return reply.status(204).send(null);
      },
    );

    app.delete(
      "/me/newsletter",
      {
        schema: {
          tags: ["account"],
          summary: "Unsubscribe from the newsletter",
          response: { 204: Type.Null(), 401: ErrorBody },
        },
      },
      async (request, reply) => {
        await unsubscribeNewsletter(deps, requireUser(request).id);
        return reply.status(204).send(null);
      },
    );
  };
}
