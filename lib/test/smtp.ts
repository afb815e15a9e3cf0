import { startSmtpSink, type ReceivedMail } from "./smtp-sink";
import { afterAll, beforeAll } from "vitest";

export type { ReceivedMail };

/** A real SMTP server on a free loopback port that keeps what it receives (one entry per recipient). */
export function startTestSmtp(): Promise<{ url: string; received: ReceivedMail[]; close: () => Promise<void> }> {
  return startSmtpSink(0);
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
