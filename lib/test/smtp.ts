import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll } from "vitest";

export type ReceivedMail = { to: string; raw: string };

/**
 * A real SMTP server on a free loopback port that keeps what it receives (one entry per
 * recipient), for tests that deliver mail over the wire.
 */
export async function startTestSmtp(): Promise<{ url: string; received: ReceivedMail[]; close: () => Promise<void> }> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        for (const r of session.envelope.rcptTo) received.push({ to: r.address, raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/**
 * For a test file: a loopback SMTP server started before its tests and closed after them. Read
 * `url` and `received` inside tests (they are set once the server is up).
 */
export function smtpServerForThisFile(): { readonly url: string; readonly received: ReceivedMail[] } {
  let server: Awaited<ReturnType<typeof startTestSmtp>> | undefined;
  beforeAll(async () => {
    server = await startTestSmtp();
  });
  afterAll(() => server?.close());
  return {
    get url() {
      if (!server) throw new Error("the test SMTP server is not started yet");
      return server.url;
    },
    get received() {
      return server?.received ?? [];
    },
  };
}
