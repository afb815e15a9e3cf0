import { Readable } from "node:stream";
import { db } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { currentSession } from "@/lib/auth/current";
import { roles } from "@/lib/auth/roles";
import { withOutage } from "@/lib/http/outage";
import { requestContext } from "@/lib/http/request-context";
import { exportOptIns } from "@/lib/marketing/export";
import { listMarketingTopics } from "@/lib/preferences/queries";

export const dynamic = "force-dynamic";

/**
 * The opt-in list of one topic as a streamed CSV download. Marketing and admin only — decided
 * here, not in the proxy; a refused request is audited too.
 */
export const GET = withOutage(async (req: Request) => {
  const session = await currentSession();
  const { clientIp } = await requestContext();
  const topicId = new URL(req.url).searchParams.get("topic") ?? "";
  if (!session)
    return new Response("Sign in first.\n", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!(roles.marketing as readonly string[]).includes(session.role)) {
    await recordAudit(db, {
      actorId: session.userId,
      subjectUserId: null,
      action: "marketing.export_denied",
      detail: { topic: topicId.slice(0, 40), role: session.role },
      ip: clientIp,
    });
    return new Response("Only marketing staff can export opt-in lists.\n", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const topic = (await listMarketingTopics()).find((t) => t.id === topicId);
  if (!topic)
    return new Response("Unknown or non-marketing topic.\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });

  const started = Date.now();
  // Recorded before any data leaves: an export that crashes midway is still on the record.
  await recordAudit(db, {
    actorId: session.userId,
    subjectUserId: null,
    action: "marketing.export_started",
    detail: { topic: topic.id },
    ip: clientIp,
  });
  const { stream, rows } = exportOptIns(topic.id);
  let audited = false;
  const audit = (complete: boolean) => {
    if (audited) return;
    audited = true;
    void recordAudit(db, {
      actorId: session.userId,
      subjectUserId: null,
      action: "marketing.export",
      detail: { topic: topic.id, rows: rows(), complete, ms: Date.now() - started },
      ip: clientIp,
    }).catch((err) => console.error("[export] completion audit failed:", err));
  };
  stream.on("end", () => audit(true));
  stream.on("close", () => audit(false));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="opt-ins-${topic.id}-${day}.csv"`,
      // no-transform: Next would otherwise gzip the stream on the main thread, chunk by chunk
      // (measured: 1.8× the time of psql's \copy, against 1.07× uncompressed).
      "Cache-Control": "no-store, no-transform",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
