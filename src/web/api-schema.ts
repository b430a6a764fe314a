import { type TObject, type TSchema, Type } from "@sinclair/typebox";

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

/** The error answers of a JSON API route that changes something (validation, access, state, If-Match). */
export const changeErrors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  412: ErrorBody,
};

/** The If-Match header of a route whose resource carries an ETag (web/etag.ts). */
export const ifMatchHeader = Type.Object({
  "if-match": Type.Optional(
    Type.String({ description: "The ETag last read: the change is refused (412) if it changed since" }),
  ),
});

export type RouteShape = {
  params?: TSchema;
  querystring?: TSchema;
  body?: TObject;
  response: Record<number, TSchema>;
};

/**
 * The options of a JSON API route of the editors' and the newsletter's resources: its tag and
 * summary for the OpenAPI description and the error answers (a body's unknown fields are refused
 * by the schema's additionalProperties: false, app/build-app.ts). `changeRoute` adds the If-Match
 * header of a change to a versioned resource.
 */
export function apiRoute<const S extends RouteShape>(tag: string, summary: string, shape: S) {
  return {
    schema: { tags: [tag], summary, ...shape, response: { ...shape.response, ...changeErrors } },
  };
}

/** `apiRoute` of a change that the If-Match header guards (412 when stale, web/etag.ts). */
export function changeRoute<const S extends RouteShape>(tag: string, summary: string, shape: S) {
  const route = apiRoute(tag, summary, shape);
  return { ...route, schema: { ...route.schema, headers: ifMatchHeader } };
}
