import { currentSession } from "@/lib/auth/current";
import { requestContext } from "@/lib/http/request-context";
import { withOutage } from "@/lib/http/with-outage";
import { say } from "@/lib/messages";
import { exportMyData } from "@/lib/privacy/export";

export const dynamic = "force-dynamic";

/**
 * "Download my data": the signed-in customer's own data as a JSON file. It takes no parameters —
 * whose data is decided by the session alone, so nobody can ask for another customer's.
 */
export const GET = withOutage(async () => {
  const session = await currentSession();
  const { clientIp } = await requestContext();
  const result = await exportMyData(session && { userId: session.userId, role: session.role }, { ip: clientIp });
  if (!result.ok) {
    return new Response(`${say(result.code)}\n`, {
      status: result.code === "signedOut" ? 401 : 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(result.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
