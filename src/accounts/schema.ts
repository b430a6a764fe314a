import { type Static, Type } from "@sinclair/typebox";

/** JSON shapes of the account API; Fastify validates requests with them and they feed the OpenAPI description. */

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "Stable machine-readable code, e.g. code_expired" }),
      message: Type.String({ description: "Human message in the Accept-Language language (en or fr)" }),
      fields: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    }),
  },
  { $id: "Error" },
);

const Email = Type.String({ format: "email", maxLength: 254 });
const Lang = Type.Union([Type.Literal("en"), Type.Literal("fr")]);

export const RegisterBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 1024 }),
  name: Type.String({ maxLength: 200 }),
  organisation: Type.String({ maxLength: 200 }),
  country: Type.String({ description: "ISO 3166-1 alpha-2", maxLength: 2 }),
  language: Lang,
  acceptTerms: Type.Boolean(),
});

export const EmailBody = Type.Object({ email: Type.String({ maxLength: 254 }) });
export const VerifyBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  code: Type.String({ maxLength: 20 }),
});
export const LoginBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 1024 }),
});
export const ResetConfirmBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  code: Type.String({ maxLength: 20 }),
  password: Type.String({ maxLength: 1024 }),
});

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
