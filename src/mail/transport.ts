import fs from "node:fs/promises";
import path from "node:path";
import type nodemailer from "nodemailer";
import writeFileAtomic from "write-file-atomic";
import type { Mailer, MailMessage } from "../core/mailer.ts";

type Log = { info(obj: object, msg: string): void };

/** SMTP when SMTP_URL is set; otherwise each message is written to `outboxDir` as an .eml file. */
export function createMailer(options: {
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
  log: Log;
}): Mailer {
  if (options.smtpUrl) {
    // One connection kept open and reused: a newsletter to thousands is not thousands of handshakes.
    const url = new URL(options.smtpUrl);
    if (!url.searchParams.has("pool")) url.searchParams.set("pool", "true");
    // A connection for each message a newsletter batch sends at once (its 8 lanes): none waits in
    // the pool, so a process that dies leaves in doubt only messages the server was being given.
    if (!url.searchParams.has("maxConnections")) url.searchParams.set("maxConnections", "8");
    const transport = onFirstUse(() => url.toString());
    return {
      async send(to, message) {
        await (await transport.get()).sendMail({ from: options.from, to, ...fields(message) });
      },
      close: transport.close,
    };
  }
  const transport = onFirstUse(() => ({ streamTransport: true, buffer: true, newline: "unix" }) as const);
  return {
    async send(to, message) {
      const info = await (await transport.get()).sendMail({ from: options.from, to, ...fields(message) });
      await fs.mkdir(options.outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${to.replace(/[^\w.@-]/g, "_")}.eml`;
      const file = path.join(options.outboxDir, name);
      // Atomically (temporary file, then rename): a reader never sees half a message.
      await writeFileAtomic(file, info.message as Buffer);
      options.log.info(
        { to, file },
        `Mail to ${to} written to ${file}${message.outboxNote ? ` — ${message.outboxNote}` : ""}`,
      );
    },
    close: transport.close,
  };
}

/**
 * The nodemailer transport, made on the first message: nodemailer costs ~6 MB of memory, which a
 * web process that sends no mail (most of the time) need not hold.
 */
function onFirstUse<Options extends Parameters<typeof nodemailer.createTransport>[0]>(
  options: () => Options,
) {
  let transport: Promise<ReturnType<typeof nodemailer.createTransport>> | null = null;
  return {
    get() {
      transport ??= import("nodemailer").then(({ default: mailer }) => mailer.createTransport(options()));
      return transport;
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}

function fields(message: MailMessage) {
  return { subject: message.subject, text: message.text, html: message.html, headers: message.headers ?? {} };
}
