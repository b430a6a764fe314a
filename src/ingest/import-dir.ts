import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Config } from "../core/config.ts";
import type { OpenServices } from "../core/deps.ts";
import { UserError } from "../core/errors.ts";
import { errorMessage } from "../web/error-handler.ts";
import { tDynamic } from "../web/i18n.ts";
import { openImporter } from "./cli-command.ts";
import { ImportCommandError } from "./import-file.ts";
import { ImportFolderProblems, readImportFolder } from "./import-sidecar.ts";

export const importDirUsage = "import DIR (masters with x.json sidecars, or one CSV: docs/OPERATIONS.md)";

export type ImportDirSummary = { imported: number; skipped: number; refused: number; ignored: number };

/**
 * `import DIR`: every master the folder's metadata describes (import-sidecar.ts), one after the
 * other. The metadata is checked in full first: any problem and nothing is imported. Then each
 * file goes in whole or not at all (import-file.ts, importRecorded), recorded under its content's
 * SHA-256 so that running the command again skips what is in and finishes what a crash cut off.
 * A file refused (not a master we take, an unknown event) does not stop the others.
 * `print` gets one line per file and the summary.
 */
export async function runImportDir(
  config: Config,
  args: string[],
  openServices: OpenServices,
  print: (line: string) => void,
): Promise<ImportDirSummary> {
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    throw new ImportCommandError(`Give exactly one folder.\nUsage: ${importDirUsage}`);
  }
  const dir = path.resolve(args[0]!);
  if (!(await stat(dir).catch(() => null))?.isDirectory())
    throw new ImportCommandError(`No folder at ${dir}`);
  const plan = await readImportFolder(dir);
  // An empty folder is most likely the wrong one: said as a mistake, not as "0 files" and success.
  if (plan.entries.length === 0 && plan.ignored.length === 0)
    throw new ImportCommandError(
      `Nothing to import in ${dir}: it holds no media file described by a sidecar or a CSV line.\nUsage: ${importDirUsage}`,
    );
  const summary: ImportDirSummary = { imported: 0, skipped: 0, refused: 0, ignored: plan.ignored.length };
  const importer = openImporter(config, openServices);
  try {
    for (const { name, request } of plan.entries) {
      try {
        const outcome = await importer.run({ ...request, sha256: await sha256Of(request.file) });
        if (outcome.skipped) {
          summary.skipped++;
          print(`${name}: skipped, already imported as item ${outcome.id} (${outcome.status})`);
        } else {
          summary.imported++;
          print(
            `${name}: imported as item ${outcome.id}${request.publish ? ", published when processed" : ""}`,
          );
        }
      } catch (error) {
        summary.refused++;
        print(`${name}: refused: ${reasonOf(error)}`);
      }
    }
  } finally {
    await importer.close();
  }
  for (const name of plan.ignored) print(`${name}: ignored, no metadata describes it`);
  const total = plan.entries.length + plan.ignored.length;
  print(
    `${total} file${total === 1 ? "" : "s"}: ${summary.imported} imported, ${summary.skipped} skipped (already imported), ` +
      `${summary.refused} refused, ${summary.ignored} ignored.`,
  );
  return summary;
}

export { ImportFolderProblems };

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** One sentence for the operator; anything unexpected is shown as it is and the import goes on. */
function reasonOf(error: unknown): string {
  if (error instanceof UserError) {
    const details = Object.entries(error.fields).flatMap(([field, keys]) =>
      keys.map((key) => `${field}: ${tDynamic("en", key)}`),
    );
    return [errorMessage("en", error.code, error.params), ...details].join(" ");
  }
  if (error instanceof ImportCommandError) return error.message;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
