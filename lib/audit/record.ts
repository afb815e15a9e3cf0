import "server-only";
import { auditEvents } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

type AuditInput = {
  actorId: string | null;
  subjectUserId: string | null;
  action: string;
  detail?: Record<string, unknown>;
  ip?: string;
};

/** Appends one audit row; call it inside the transaction of the change it records. */
export async function recordAudit(tx: DbOrTx, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: input.actorId,
    subjectUserId: input.subjectUserId,
    action: input.action,
    detail: input.detail ?? {},
    ip: input.ip ?? "",
  });
}
