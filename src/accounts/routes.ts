import type { FastifyInstance } from "fastify";
import type { FeatureDeps } from "../core/deps.ts";
import { accountRoutes } from "./routes/account.ts";
import { accountsApi } from "./routes/api.ts";
import { logInRoutes } from "./routes/login.ts";
import { passwordResetRoutes } from "./routes/password-reset.ts";
import { signUpRoutes } from "./routes/sign-up.ts";
import { termsRoutes } from "./routes/terms.ts";
import { verifyRoutes } from "./routes/verify.ts";
import { welcomeRoutes } from "./routes/welcome.ts";

/** The account flow: its pages in both languages and its JSON API under /api/v1. */
export function accountsRoutes(deps: FeatureDeps) {
  return async (app: FastifyInstance) => {
    signUpRoutes(app, deps);
    verifyRoutes(app, deps);
    welcomeRoutes(app, deps);
    logInRoutes(app, deps);
    passwordResetRoutes(app, deps);
    accountRoutes(app, deps);
    termsRoutes(app);
    await app.register(accountsApi(deps), { prefix: "/api/v1" });
  };
}
