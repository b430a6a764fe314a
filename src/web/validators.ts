import { AjvCompiler } from "@fastify/ajv-compiler";
import type { FastifySchemaCompiler, FastifyServerOptions } from "fastify";

type SchemaController = NonNullable<FastifyServerOptions["schemaController"]>;
type ValidatorFactory = NonNullable<NonNullable<SchemaController["compilersFactory"]>["buildValidator"]>;
type PoolOptions = Parameters<ReturnType<typeof AjvCompiler>>[1];
type Compile = FastifySchemaCompiler<unknown>;

/**
 * Fastify's validators (@fastify/ajv-compiler, the app's Ajv options), one set per part of the
 * request. A query string or a path is text: Ajv turns its "2" into the 2 an integer asks for,
 * as Fastify does by default. A JSON body says its types itself: a number or a boolean where a
 * string is asked is the client's mistake, refused with the field's name, never stored as "1"
 * or, for 1e999, "Infinity" (probe of 2026-12-07, L6). Only the JSON API's routes have body
 * schemas; page forms are read field by field (web/form.ts).
 */
export function validatorsByPart(): ValidatorFactory {
  // One pool per app, as Fastify's default has: contexts with the same schemas share an Ajv.
  const pool = AjvCompiler();
  return (externalSchemas, options) => {
    // The package's types describe Ajv's own compile; Fastify calls what it returns with the
    // route's schema and the part of the request it is for.
    const compiler = (customOptions: object) => {
      const merged = { ...options, customOptions: { ...options?.customOptions, ...customOptions } };
      return pool(externalSchemas, merged as PoolOptions) as unknown as Compile;
    };
    const coercing = compiler({});
    const asSent = compiler({ coerceTypes: false });
    const byPart: Compile = (route) => (route.httpPart === "body" ? asSent(route) : coercing(route));
    return byPart as unknown as ReturnType<ValidatorFactory>;
  };
}
