import { parseArgs } from "node:util";
import { hashPassword } from "../accounts/password-hash.ts";
import { findUserByEmail, insertUser, type Role, setPasswordHash, setRole } from "../accounts/store.ts";
import { checkEmail, checkNewPassword, throwIfAccountProblems } from "../accounts/validate.ts";
import type { Config } from "../core/config.ts";
import { UserError } from "../core/errors.ts";
import { DemoCommandError, demoUsage, runDemoCommand } from "../demo/command.ts";
import { runImportCommand } from "../ingest/cli-command.ts";
import { ImportCommandError, importUsage } from "../ingest/import-file.ts";
import { errorMessage } from "../web/error-handler.ts";
import { tDynamic } from "../web/i18n.ts";
import { openRuntime, openServices } from "./services.ts";

const roles: Role[] = ["media", "editor", "admin"];

/** Administration commands. Each prints JSON on success and one clear line on failure. */
export async function runCli(config: Config, args: string[]): Promise<void> {
  const [command, ...rest] = args;
  // Not through openRuntime: while the portal holds the embedded database it does the import.
  if (command === "ingest")
    return reportErrors(async () =>
      console.log(JSON.stringify(await runImportCommand(config, rest, openServices))),
    );
  if (command === "demo")
    return reportErrors(async () =>
      console.log(JSON.stringify(await runDemoCommand(config, rest, openServices))),
    );
  const runtime = await openRuntime(config);
  try {
    if (command === "migrate") {
      console.log(JSON.stringify({ status: "migrated" }));
    } else if (command === "user:add") {
      console.log(JSON.stringify(await addUser(runtime.db, rest)));
    } else {
      console.error(
        `Commands: migrate | user:add --email E --password P [--role media|editor|admin] [--name N] | ${importUsage} | ${demoUsage}`,
      );
      process.exitCode = 2;
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    printUserError(error);
  } finally {
    await runtime.close();
  }
}

async function reportErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UserError) printUserError(error);
    else if (error instanceof ImportCommandError || error instanceof DemoCommandError) {
      console.error(error.message);
      process.exitCode = 1;
    } else throw error;
  }
}

function printUserError(error: UserError): void {
  const details = Object.values(error.fields)
    .flat()
    .map((key) => tDynamic("en", key));
  console.error([errorMessage("en", error.code, error.params), ...details].join("\n  - "));
  process.exitCode = 1;
}

/** Creates a verified account with a role, or gives an existing one the role (and password, if given). */
async function addUser(db: Parameters<typeof insertUser>[0], args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string", default: "media" },
      name: { type: "string" },
      organisation: { type: "string" },
      country: { type: "string", default: "BE" },
      language: { type: "string", default: "en" },
    },
  });
  const problems: Record<string, string[]> = {};
  const email = checkEmail(values.email, problems);
  const password = values.password === undefined ? null : checkNewPassword(values.password, problems);
  const role = values.role as Role;
  if (!roles.includes(role)) problems.role = ["field.invalid"];
  throwIfAccountProblems(problems);
  const now = new Date();
  const existing = await findUserByEmail(db, email);
  if (existing) {
    await setRole(db, existing.id, role, now);
    if (password) await setPasswordHash(db, existing.id, await hashPassword(password), now);
    return { id: existing.id, email, role, created: false };
  }
  if (!password) throw new UserError("invalid_input", {}, { password: ["field.required"] });
  const id = await insertUser(
    db,
    {
      email,
      passwordHash: await hashPassword(password),
      name: values.name ?? email.split("@")[0]!,
      organisation: values.organisation ?? "Pressroom",
      country: values.country ?? "BE",
      language: values.language === "fr" ? "fr" : "en",
      role,
    },
    now,
  );
  if (id === null) throw new UserError("invalid_input", {}, { email: ["field.invalid"] });
  return { id, email, role, created: true };
}
