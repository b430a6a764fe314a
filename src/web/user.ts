import type { Lang } from "./i18n.ts";

/**
 * Who is asking: the account a request is authenticated as (session cookie, or an API token on
 * the API). Every page and route reads it from `request.user`; the accounts feature owns the
 * table it comes from.
 */
export type Role = "media" | "editor" | "admin";

export type User = {
  id: number;
  email: string;
  name: string;
  organisation: string;
  country: string;
  language: Lang;
  role: Role;
  emailVerified: boolean;
  newsletter: boolean;
  createdAt: Date;
};
