/**
 * The newsletter part's SMTP sink (bench/figures/newsletter.ts), run as a child process with an IPC
 * channel so its parsing never shares an event loop with the bench's timing of pages. An
 * smtp-server on 127.0.0.1 (a free port; no STARTTLS, no AUTH: loopback) that keeps, per phase
 * the parent names, one record per recipient of each message: address, Subject, Message-ID and
 * the arrival time (end of DATA, Date.now() in ms with the fraction from performance.now(), the
 * clock the parent uses for its opt-outs). Only the header is parsed; the body is read and dropped.
 *
 *   parent → { type: "phase", name }          later arrivals count under this phase
 *   parent → { type: "report", phase, watch } answers { type: "report", … } (see SinkReport)
 *   sink   → { type: "ready", port }, then { type: "progress", name, count } every 20 ms (when changed)
 */
import { SMTPServer } from "smtp-server";

type Arrival = { to: string; subject: string; messageId: string; at: number };

export type SinkReport = {
  phase: string;
  count: number;
  /** Arrival time (ms, epoch) of the phase's first and last message. */
  first: number;
  last: number;
  distinctRecipients: number;
  /** Recipients who got the same Subject more than once in the phase (a double send). */
  duplicateRecipients: number;
  /** Messages whose Message-ID arrived more than once in the phase (the same message twice). */
  duplicateMessageIds: number;
  /** Arrival times per watched address (lower-cased). */
  watched: Record<string, number[]>;
  bytes: number;
};

const now = () => performance.timeOrigin + performance.now();
const phases = new Map<string, Arrival[]>();
const bytesOf = new Map<string, number>();
let phase = "none";

const headerOf = (head: string, name: string) => {
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  return unfolded.match(new RegExp(`^${name}:[ \\t]*(.*)$`, "mi"))?.[1]?.trim() ?? "";
};

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, session, callback) {
    let head = "";
    let headDone = false;
    let bytes = 0;
    stream.on("data", (c: Buffer) => {
      bytes += c.length;
      if (headDone) return;
      head += c.toString("utf8");
      const end = head.search(/\r?\n\r?\n/);
      if (end !== -1) {
        head = head.slice(0, end);
        headDone = true;
      }
    });
    stream.on("end", () => {
      const at = now();
      const list = phases.get(phase) ?? [];
      phases.set(phase, list);
      bytesOf.set(phase, (bytesOf.get(phase) ?? 0) + bytes);
      const subject = headerOf(head, "Subject");
      const messageId = headerOf(head, "Message-ID");
      for (const r of session.envelope.rcptTo) list.push({ to: r.address.toLowerCase(), subject, messageId, at });
      callback();
    });
  },
});

function report(name: string, watch: string[]): SinkReport {
  const list = phases.get(name) ?? [];
  const perRecipient = new Map<string, number>();
  const perMessage = new Map<string, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const a of list) {
    const key = `${a.to}\n${a.subject}`;
    perRecipient.set(key, (perRecipient.get(key) ?? 0) + 1);
    if (a.messageId) perMessage.set(`${a.to}\n${a.messageId}`, (perMessage.get(`${a.to}\n${a.messageId}`) ?? 0) + 1);
    if (a.at < first) first = a.at;
    if (a.at > last) last = a.at;
  }
  const wanted = new Set(watch.map((w) => w.toLowerCase()));
  const watched: Record<string, number[]> = {};
  for (const a of list) if (wanted.has(a.to)) (watched[a.to] ??= []).push(a.at);
  return {
    phase: name,
    count: list.length,
    first,
    last,
    distinctRecipients: new Set(list.map((a) => a.to)).size,
    duplicateRecipients: [...perRecipient.values()].filter((n) => n > 1).length,
    duplicateMessageIds: [...perMessage.values()].filter((n) => n > 1).length,
    watched,
    bytes: bytesOf.get(name) ?? 0,
  };
}

process.on("message", (m: { type: string; name?: string; phase?: string; watch?: string[] }) => {
  if (m.type === "phase" && m.name) {
    phase = m.name;
    process.send!({ type: "phase", name: m.name });
  } else if (m.type === "report" && m.phase) process.send!({ type: "report", report: report(m.phase, m.watch ?? []) });
  else if (m.type === "stop") server.close(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));

let sent = -1;
setInterval(() => {
  const count = phases.get(phase)?.length ?? 0;
  if (count !== sent) {
    sent = count;
    process.send!({ type: "progress", name: phase, count });
  }
}, 20).unref();

server.listen(0, "127.0.0.1", () => {
  const { port } = server.server.address() as { port: number };
  process.send!({ type: "ready", port });
});
