import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { verificationCodeMail } from "../../src/mail/messages.ts";
import { createMailer } from "../../src/mail/transport.ts";

describe("mail without SMTP", () => {
  it("writes each message to the outbox folder as .eml and logs where, with the code", async () => {
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-"));
    const lines: string[] = [];
    const mailer = createMailer({
      smtpUrl: null,
      from: "Pressroom <no-reply@p.test>",
      outboxDir,
      log: { info: (_o, msg) => lines.push(msg) },
    });
    await mailer.send("anne@x.example", verificationCodeMail("en", "Anne", "042137"));
    const files = fs.readdirSync(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/anne@x\.example\.eml$/);
    const parsed = await simpleParser(fs.readFileSync(path.join(outboxDir, files[0]!)));
    expect(parsed.subject).toBe("Your Pressroom verification code: 042137");
    expect(parsed.text).toContain("042137");
    expect(parsed.html).toContain("042137");
    expect(lines[0]).toContain(path.join(outboxDir, files[0]!));
    expect(lines[0]).toContain("code 042137");
    fs.rmSync(outboxDir, { recursive: true });
  });
});
