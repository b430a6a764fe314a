/**
 * A command line Node's `parseArgs` refused, said in one plain sentence: its own words for an
 * unknown option end with a hint about positionals and an unbalanced quote
 * ("… as in '-- "--titel"").
 */
export function argsProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  // "Option '--event <value>' argument missing" and the like: the first sentence is enough.
  return message.split(/\.\s/)[0]!.replace(/\.?$/, ".");
}
