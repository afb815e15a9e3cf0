import { Readable } from "node:stream";
import { openAuditExport, type AuditExportRefusal } from "@/lib/audit/log";
import { currentSession } from "@/lib/auth/current";
import { withOutage } from "@/lib/http/with-outage";
import { requestContext } from "@/lib/http/request-context";
import { say } from "@/lib/messages";

export const dynamic = "force-dynamic";

const refusalStatus = {
  auditExportSignedOut: 401,
  auditExportForbidden: 403,
  auditExportBadFilter: 400,
} as const satisfies Record<AuditExportRefusal, number>;

/**
 * The audit log under the page's filters, as a streamed CSV download. Who may export, the audit of
 * it (refusals too) and the formula-safe cells are decided in lib/audit/log.ts; this only speaks HTTP.
 */
export const GET = withOutage(async (req: Request) => {
  const session = await currentSession();
  const { clientIp } = await requestContext();
  const opened = await openAuditExport(session, new URL(req.url).searchParams, clientIp);
  if (!opened.ok)
    return new Response(`${say(opened.code)}\n`, {
      status: refusalStatus[opened.code],
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(opened.stream) as ReadableStream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
      "Cache-Control": "no-store, no-transform",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
