// A loopback SMTP server for tests (vitest and Playwright alike: no test-runner imports here).
import type net from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string; raw: string };

/**
 * A real SMTP server on a loopback port (0 = any free one) that keeps every message it is handed
 * (one entry per recipient), for tests that deliver mail over the wire.
 */
export async function startSmtpSink(port = 0) {
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
  await new Promise<void>((resolve) => smtp.listen(port, "127.0.0.1", resolve));
  const { port: bound } = smtp.server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
