import type { FastifyInstance } from "fastify";
import { accountPages } from "./account.ts";
import { loginPages } from "./login.ts";
import { passwordResetPages } from "./password-reset.ts";
import { registerPages } from "./register.ts";
import type { PageDeps, PagesOptions } from "./shared.ts";
import { termsPage } from "./terms.ts";
import { verifyPages } from "./verify.ts";
import { welcomePages } from "./welcome.ts";

/** Every account page of one language, registered under its /en or /fr prefix. */
export function accountsPages(deps: PageDeps, options: PagesOptions) {
  return async (app: FastifyInstance) => {
    registerPages(app, deps, options);
    verifyPages(app, deps, options);
    welcomePages(app, deps, options);
    loginPages(app, deps, options);
    passwordResetPages(app, deps, options);
    accountPages(app, deps, options);
    termsPage(app, options);
  };
}
