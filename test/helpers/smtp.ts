import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string; parsed: ParsedMail; raw: string };

/** A real SMTP server on a free local port; every message is parsed and kept for the test to read. */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        for (const rcpt of session.envelope.rcptTo)
          received.push({ to: rcpt.address.toLowerCase(), parsed, raw });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  /** The next message to `to` (after `afterCount` messages to that address), waiting up to 5 s for it. */
  async function waitForMail(to: string, afterCount = 0, timeoutMs = 5000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = received.filter((m) => m.to === to.toLowerCase());
      if (matching.length > afterCount) return matching[afterCount]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No mail to ${to} within ${timeoutMs} ms (got ${matching.length})`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.min(left, 200));
      });
    }
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitForMail,
    mailsTo: (to: string) => received.filter((m) => m.to === to.toLowerCase()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;

/** The 6-digit code in a verification or reset e-mail, read from its plain text. */
export function codeFrom(mail: ReceivedMail): string {
  const match = mail.parsed.text?.match(/\b(\d{6})\b/);
  if (!match) throw new Error(`No code in mail "${mail.parsed.subject}"`);
  return match[1]!;
}

/** A header as it was sent (mailparser folds List-* headers into a structure). */
export function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(":") + 1).trim();
}
