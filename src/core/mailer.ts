/** What features may ask of the mail layer (mail/transport.ts sends it by SMTP or to the outbox). */
export type MailMessage = {
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** One line for the log when mail goes to the outbox folder (e.g. the code), so a local user can go on. */
  outboxNote?: string;
};

export type Mailer = {
  send(to: string, message: MailMessage): Promise<void>;
  close(): void;
};
