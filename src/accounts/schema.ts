import { type Static, Type } from "@sinclair/typebox";

/** JSON shapes of the account API; Fastify validates requests with them and they feed the OpenAPI description. */

const Email = Type.String({ format: "email", maxLength: 254 });
const Lang = Type.Union([Type.Literal("en"), Type.Literal("fr")]);
// A field the API does not know is refused by name (app/build-app.ts), not silently dropped: a
// `"newsletter": true` at sign-up would otherwise be a quiet no.
const closed = { additionalProperties: false } as const;

export const RegisterBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 1024 }),
    name: Type.String({ maxLength: 200 }),
    organisation: Type.String({ maxLength: 200 }),
    country: Type.String({ description: "ISO 3166-1 alpha-2", maxLength: 2 }),
    // Checked by the sign-up itself, with the other fields, so that every problem is said at once.
    language: Type.String({ description: '"en" or "fr"', maxLength: 10 }),
    acceptTerms: Type.Boolean(),
  },
  closed,
);

const FlowToken = (description: string) => Type.Optional(Type.String({ maxLength: 100, description }));
const signupToken = FlowToken(
  "The `signup` token of the sign-up's answer (or its cookie): only the client that signed up verifies without the password",
);
const resetToken = FlowToken("The `reset` token of the reset request's answer (or its cookie)");

export const ResendBody = Type.Object(
  { email: Type.String({ maxLength: 254 }), signup: signupToken },
  closed,
);
export const ResetRequestBody = Type.Object(
  { email: Type.String({ maxLength: 254 }), reset: resetToken },
  closed,
);
export const VerifyBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    code: Type.String({ maxLength: 20 }),
    signup: signupToken,
    password: Type.Optional(
      Type.String({
        maxLength: 1024,
        description: "The password chosen in the sign-up, when verifying without its token",
      }),
    ),
  },
  closed,
);
export const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 1024 }),
  },
  closed,
);
export const ResetConfirmBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    code: Type.String({ maxLength: 20 }),
    password: Type.String({ maxLength: 1024 }),
    reset: resetToken,
  },
  closed,
);

export const Profile = Type.Object(
  {
    id: Type.Integer(),
    email: Email,
    name: Type.String(),
    organisation: Type.String(),
    country: Type.String(),
    language: Lang,
    role: Type.Union([Type.Literal("media"), Type.Literal("editor"), Type.Literal("admin")]),
    newsletter: Type.Boolean(),
    createdAt: Type.String({ format: "date-time" }),
  },
  { $id: "Profile" },
);
export type ProfileJson = Static<typeof Profile>;

export const Accepted = Type.Object({ status: Type.Literal("accepted"), message: Type.String() });
export const SignupAccepted = Type.Object({
  status: Type.Literal("accepted"),
  message: Type.String(),
  signup: Type.String({ description: "Send it back with the code to /auth/verify (and /auth/resend)" }),
});
export const ResetAccepted = Type.Object({
  status: Type.Literal("accepted"),
  message: Type.String(),
  reset: Type.String({ description: "Send it back with the code to /auth/password-reset/confirm" }),
});
