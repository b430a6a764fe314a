import path from "node:path";
import { FileStore } from "@tus/file-store";
import { Server, type Upload } from "@tus/server";
import { UserError } from "../errors.ts";
import { errorMessage } from "../web/error-handler.ts";
import { languageFromHeader } from "../web/i18n.ts";
import { acceptMaster } from "./accept.ts";
import { checkItemFields, type IngestDeps } from "./items.ts";
import { findItem } from "./store.ts";

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
 * `filename`. A complete upload becomes the item's master at once, or is refused with the
 * error as JSON and its bytes deleted.
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
      return {};
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
    const item = await findItem(deps.db, Number(metadata.itemId));
    if (!item) throw new UserError("item_not_found");
    return;
  }
  if (!metadata.event) throw new UserError("invalid_input", {}, { event: ["field.required"] });
  await checkItemFields(deps, { event: metadata.event, ...(metadata.kind ? { kind: metadata.kind } : {}) });
}

async function finish(deps: IngestDeps, directory: string, upload: Upload) {
  const metadata: UploadMetadata = upload.metadata ?? {};
  const target = metadata.itemId
    ? { itemId: Number(metadata.itemId) }
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

/** tus answers hooks' errors as `{ status_code, body }`; ours become the API's JSON error, translated. */
async function refuseAsTus<T>(req: { headers: Headers }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const lang = languageFromHeader(req.headers.get("accept-language") ?? undefined);
    const body = { error: { code: error.code, message: errorMessage(lang, error.code, error.params) } };
    throw { status_code: error.status, body: JSON.stringify(body) };
  }
}
