import path from "node:path";
import { FileStore } from "@tus/file-store";
import { Server, type Upload } from "@tus/server";
import { findItem } from "../catalogue/item-store.ts";
import { UserError } from "../core/errors.ts";
import { apiErrorBody, errorMessage } from "../web/error-handler.ts";
import { languageFromHeader, tDynamic } from "../web/i18n.ts";
import { parseId } from "../web/ids.ts";
import { acceptMaster, checkUploadTarget } from "./accept.ts";
import { checkItemFields, type IngestDeps } from "./items.ts";

export const UPLOADS_PATH = "/api/v1/uploads";
// Far above a 20 GB MXF; the real limit is the disk of DATA_DIR/uploads.
const MAX_UPLOAD_BYTES = 500 * 1024 ** 3;
// An upload nobody resumed for a week is abandoned.
const EXPIRE_MS = 7 * 24 * 60 * 60 * 1000;

/** What an ingest upload carries in its Upload-Metadata. */
type UploadMetadata = Record<string, string | null | undefined>;

/** Partial uploads of the tus protocol, kept in DATA_DIR/uploads until complete. */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, "uploads");
}

/**
 * The tus server behind /api/v1/uploads. The route in routes.ts checks that the caller is an
 * editor before every request reaches it. Upload-Metadata says what the file is for: `itemId`
 * (an item made by POST /api/v1/items) or `event` (+ optional `kind`, `title`, `titleFr`), and
 * `filename`. An upload to an item that takes no master (its master works, or it is a live) is
 * refused when it is created (409), before any byte. A complete upload becomes the item's master
 * at once, or is refused with the error as JSON and its bytes deleted.
 */
export function createTusServer(deps: IngestDeps): Server {
  const directory = uploadsDir(deps.config.dataDir);
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: EXPIRE_MS });
  const server = new Server({
    path: UPLOADS_PATH,
    datastore,
    maxSize: MAX_UPLOAD_BYTES,
    relativeLocation: true,
    respectForwardedHeaders: deps.config.trustProxy,
    allowedOrigins: [new URL(deps.config.publicUrl).origin],
    async onUploadCreate(req, upload) {
      await refuseAsTus(req, () => checkTarget(deps, upload.metadata ?? {}));
      // Who made it: only they (or an administrator) may resume, inspect or delete it.
      return { metadata: { ...upload.metadata, owner: callerOf(req).userId } };
    },
    async onIncomingRequest(req, uploadId) {
      if (req.method === "POST") return;
      const upload = await datastore.getUpload(uploadId).catch(() => null);
      // An unknown upload is tus's to answer (404).
      if (!upload) return;
      const caller = callerOf(req);
      if (caller.role !== "admin" && upload.metadata?.owner !== caller.userId) {
        await refuseAsTus(req, () => Promise.reject(new UserError("forbidden")));
      }
    },
    onResponseError(req, error) {
      if ("status_code" in error) return undefined;
      // Anything but our refusals and tus's own: logged, never shown (it may be a database's text).
      deps.log.error({ err: error }, "Upload failed");
      const lang = languageFromHeader(req.headers.get("accept-language") ?? undefined);
      const body = { error: { code: "internal", message: tDynamic(lang, "error.internal") } };
      return { status_code: 500, body: JSON.stringify(body) };
    },
    async onUploadFinish(req, upload) {
      try {
        const item = await refuseAsTus(req, () => finish(deps, directory, upload));
        return { headers: { "Pressroom-Item-Id": String(item.id) } };
      } finally {
        await datastore.remove(upload.id).catch(() => undefined);
      }
    },
  });
  return server;
}

async function checkTarget(deps: IngestDeps, metadata: UploadMetadata): Promise<void> {
  if (!metadata.filename?.trim()) throw new UserError("invalid_input", {}, { filename: ["field.required"] });
  if (metadata.itemId) {
    const id = parseId(metadata.itemId);
    const item = id === null ? null : await findItem(deps.db, id);
    if (!item) throw new UserError("item_not_found");
    await checkUploadTarget(deps, item);
    return;
  }
  if (!metadata.event) throw new UserError("invalid_input", {}, { event: ["field.required"] });
  await checkItemFields(deps, { event: metadata.event, ...(metadata.kind ? { kind: metadata.kind } : {}) });
}

async function finish(deps: IngestDeps, directory: string, upload: Upload) {
  const metadata: UploadMetadata = upload.metadata ?? {};
  const target = metadata.itemId
    ? { itemId: parseId(metadata.itemId) ?? 0 }
    : {
        fields: {
          event: metadata.event ?? "",
          ...(metadata.kind ? { kind: metadata.kind } : {}),
          title: { en: metadata.title ?? "", fr: metadata.titleFr ?? "" },
        },
      };
  return acceptMaster(deps, {
    file: path.join(directory, upload.id),
    originalName: metadata.filename ?? "master",
    target,
  });
}

/** The route puts the editor it checked into this header (replacing any the client sent). */
export const CALLER_HEADER = "x-pressroom-caller";

function callerOf(req: { headers: Headers }): { userId: string; role: string } {
  const [userId = "", role = ""] = (req.headers.get(CALLER_HEADER) ?? "").split(":");
  return { userId, role };
}

/**
 * tus answers hooks' errors as `{ status_code, body }`; ours become the API's JSON error,
 * translated, with their fields as the rest of the API gives them (web/error-handler.ts): the
 * upload island shows them after the message.
 */
async function refuseAsTus<T>(req: { headers: Headers }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const lang = languageFromHeader(req.headers.get("accept-language") ?? undefined);
    const message = errorMessage(lang, error.code, error.params);
    const body = apiErrorBody(lang, error.code, message, error.fields, error.params);
    throw { status_code: error.status, body: JSON.stringify(body) };
  }
}
