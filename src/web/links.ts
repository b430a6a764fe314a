/** `/en/verify` + `{ email, returnTo }` → `/en/verify?email=…&returnTo=…`, every value encoded. */
export function withQuery(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}
