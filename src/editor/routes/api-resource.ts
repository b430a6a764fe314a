import type { Static, TObject, TSchema } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";
import type { JobQueue } from "../../db/jobs.ts";
import { changeRoute, type RouteShape } from "../../web/api-schema.ts";
import { requireEditor } from "../../web/guards.ts";
import type { VersionCheck } from "../validate.ts";
import { versionCheck, withApiFields } from "./api-shared.ts";

// As Fastify hands them to a handler of a route typed by the schemas.
type ParamsOf<P extends TObject> = FastifyRequest<{ Params: Static<P> }>["params"];
type BodyOf<B extends TObject> = FastifyRequest<{ Body: Static<B> }>["body"];

/**
 * What an event and an item have in common for the API: they are versioned (ETag, If-Match),
 * changed field by field, deleted, published and taken back; the workspace's services do each.
 */
export type VersionedResource<P extends TObject, B extends TObject> = {
  kind: "event" | "item";
  /** The resource's address, e.g. `/api/v1/events/:slug`. */
  path: string;
  params: P;
  /** The fields a PATCH may name. */
  body: B;
  /** The resource as its editor sees it (what `send` answers). */
  json: TSchema;
  summaries: { change: string; remove: string; publish: string; unpublish: string };
  idOf(params: ParamsOf<P>): Promise<number>;
  change(id: number, fields: BodyOf<B>, check: VersionCheck): Promise<unknown>;
  remove(id: number, check: VersionCheck): Promise<unknown>;
  publish(id: number, publish: boolean, check: VersionCheck): Promise<unknown>;
  send(reply: FastifyReply, id: number): Promise<FastifyReply>;
};

/** PATCH, DELETE, `/publish` and `/unpublish` of a versioned resource, for editors only. */
export function versionedResourceRoutes<P extends TObject, B extends TObject>(
  app: FastifyInstance,
  jobs: Pick<JobQueue, "enqueue">,
  resource: VersionedResource<P, B>,
) {
  type Route = { Params: Static<P>; Body: Static<B> };
  const { kind, path, params, summaries } = resource;
  // The schemas' types are generic here, so the handlers' types come from `Route`, not from them.
  const options = (summary: string, shape: RouteShape): RouteShorthandOptions =>
    changeRoute("editor", summary, shape);
  const editorsResource = async (request: FastifyRequest<Route>) => {
    requireEditor(request);
    const id = await resource.idOf(request.params);
    return { id, check: versionCheck(request, kind, id) };
  };

  app.patch<Route>(
    path,
    options(summaries.change, {
      params,
      body: resource.body,
      response: { 200: resource.json },
    }),
    async (request, reply) => {
      const { id, check } = await editorsResource(request);
      await withApiFields(() => resource.change(id, request.body, check));
      return resource.send(reply, id);
    },
  );

  app.delete<Route>(
    path,
    options(summaries.remove, { params, response: { 204: Type.Null() } }),
    async (request, reply) => {
      const { id, check } = await editorsResource(request);
      await resource.remove(id, check);
      return reply.status(204).send(null);
    },
  );

  for (const publish of [true, false]) {
    app.post<Route>(
      `${path}/${publish ? "publish" : "unpublish"}`,
      options(publish ? summaries.publish : summaries.unpublish, {
        params,
        response: publish ? { 200: resource.json, 202: resource.json } : { 200: resource.json },
      }),
      async (request, reply) => {
        const { id, check } = await editorsResource(request);
        // "when_ready": accepted, published once its master is processed (editor/publish.ts).
        if ((await resource.publish(id, publish, check)) === "when_ready") reply.status(202);
        // Saved searches and webhooks hear of what became available (the job finds it itself).
        else if (publish) await jobs.enqueue("alerts.announce", "all");
        return resource.send(reply, id);
      },
    );
  }
}
