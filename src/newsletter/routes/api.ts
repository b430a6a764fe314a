import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { countSubscribers } from "../../accounts/store.ts";
import { UserError } from "../../core/errors.ts";
import type { Queryable } from "../../db/database.ts";
import { apiRoute, changeErrors, changeRoute } from "../../web/api-schema.ts";
import { checkIfMatch } from "../../web/etag.ts";
import { editorFirst, requireEditor } from "../../web/guards.ts";
import { Id } from "../../web/ids.ts";
import { listIssues } from "../deliveries-store.ts";
import { createDraftFromApi, issueAnswer, issueTag, patchDraft, withApiFields } from "../drafts-api.ts";
import { IssueBody, IssueJson, IssueListJson, TestSentJson } from "../schema.ts";
import { sendTest, startSending } from "../sending.ts";
import { deleteDraft, findIssue } from "../store.ts";
import type { Issue } from "../types.ts";
import type { NewsletterPageDeps } from "./shared.ts";

const _errors = changeErrors;
const IssueParams = Type.Object({ id: Id });
const BASE = "/api/v1/newsletter/issues";

/** Every field of an issue is optional: a POST or PATCH without a body is one without fields. */
async function noBodyIsEmpty(request: FastifyRequest) {
  request.body ??= {};
}

/**
 * Newsletter issues for the organisation's systems (issue 13): draft, test, send, follow. The
 * workspace's services do the work (compose.ts, sending.ts); an editor's session or token only.
 */
export function newsletterApiRoutes(deps: NewsletterPageDeps) {
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    // Who is asking, before any body is read (the routes still name their editor).
    app.addHook("onRequest", editorFirst);
    // Before the routes' own checks (the instance's hooks run first).
    app.addHook("preValidation", noBodyIsEmpty);

    const issueById = async (db: Queryable, id: number): Promise<Issue> => {
      const issue = await findIssue(db, id);
      if (!issue) throw new UserError("issue_not_found");
      return issue;
    };
    /** The issue with the ETag a later change sends back in If-Match. */
    const sendIssue = async (reply: FastifyReply, id: number, status = 200) => {
      const answer = await issueAnswer(deps.db, await issueById(deps.db, id), deps.now());
      return reply.status(status).header("etag", issueTag(answer)).send(answer);
    };
    const ifMatches = (request: FastifyRequest) => async (db: Queryable, issue: Issue) =>
      checkIfMatch(request, issueTag(await issueAnswer(db, issue, deps.now())));

    app.get(
      BASE,
      apiRoute(
        "newsletter",
        "Every issue, newest first, with where its recipients stand, and who a new one would reach",
        { response: { 200: IssueListJson } },
      ),
      async (request) => {
        requireEditor(request);
        const [issues, subscribers] = await Promise.all([
          listIssues(deps.db, deps.now()),
          countSubscribers(deps.db),
        ]);
        return {
          subscribers,
          issues: issues.map((i) => ({
            id: i.id,
            status: i.status,
            subject: i.subject,
            updatedAt: i.updatedAt.toISOString(),
            sentAt: i.sentAt?.toISOString() ?? null,
            recipients: i.counts,
          })),
        };
      },
    );

    app.post(
      BASE,
      apiRoute(
        "newsletter",
        "Draft an issue: what is left out is as a new issue in the workspace starts (a dated subject, the usual introduction, the latest published events)",
        { body: IssueBody, response: { 201: IssueJson } },
      ),
      async (request, reply) => {
        const editor = requireEditor(request);
        const id = await createDraftFromApi(deps, editor, request.body);
        return sendIssue(reply, id, 201);
      },
    );

    app.get(
      `${BASE}/:id`,
      apiRoute(
        "newsletter",
        "An issue: its content, its state (draft, sending, sent) and where its recipients stand",
        { params: IssueParams, response: { 200: IssueJson } },
      ),
      async (request, reply) => {
        requireEditor(request);
        return sendIssue(reply, request.params.id);
      },
    );

    app.patch(
      `${BASE}/:id`,
      changeRoute(
        "newsletter",
        "Change the fields named in a draft; the others stay as they are (409 once it is sending)",
        { params: IssueParams, body: IssueBody, response: { 200: IssueJson } },
      ),
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        await patchDraft(deps, id, request.body, ifMatches(request));
        return sendIssue(reply, id);
      },
    );

    app.post(
      `${BASE}/:id/test`,
      apiRoute(
        "newsletter",
        "Send both language versions, exactly as subscribers get them, to the calling editor alone",
        { params: IssueParams, response: { 200: TestSentJson } },
      ),
      async (request) => {
        const editor = requireEditor(request);
        await sendTest(deps, await issueById(deps.db, request.params.id), editor);
        return { sentTo: editor.email };
      },
    );

    app.post(
      `${BASE}/:id/send`,
      changeRoute(
        "newsletter",
        "Send a draft to every subscriber (each once, in their language, in the background); follow it with GET. 409 if it is not a draft",
        { params: IssueParams, response: { 202: IssueJson } },
      ),
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        const issue = await issueById(deps.db, id);
        await ifMatches(request)(deps.db, issue);
        // The recipient list is frozen as the draft ends, in one transaction: a second call adds nobody.
        const count = await withApiFields(() => startSending(deps, id));
        if (count === null) throw new UserError("issue_not_draft");
        return sendIssue(reply, id, 202);
      },
    );

    app.delete(
      `${BASE}/:id`,
      changeRoute("newsletter", "Delete a draft (409 once it is sending or sent: its record stays)", {
        params: IssueParams,
        response: { 204: Type.Null() },
      }),
      async (request, reply) => {
        requireEditor(request);
        const { id } = request.params;
        await ifMatches(request)(deps.db, await issueById(deps.db, id));
        if (!(await deleteDraft(deps.db, id))) throw new UserError("issue_not_draft");
        return reply.status(204).send(null);
      },
    );
  };
}
