import { Type } from "@sinclair/typebox";

/** The API's error answer, for every route's schema and the OpenAPI description. */
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
