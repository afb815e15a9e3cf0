"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { FormMessage } from "@/components/ui/FormMessage";
import { formatDateTime } from "@/lib/format";
import type { NewsletterProgress } from "@/lib/marketing/newsletter";

const sendColumns = [
  { label: "Started" },
  { label: "Subject" },
  { label: "Status" },
  { label: "Recipients", numeric: true },
  { label: "Queued", numeric: true },
  { label: "Sent", numeric: true },
  { label: "Failed", numeric: true },
  { label: "Stopped (opted out since)", numeric: true },
];

/** Where a newsletter is, in words: scheduled, adding recipients, sending n of N, sent, cancelled. */
export function statusWords(s: NewsletterProgress, timeZone: string): string {
  switch (s.status) {
    case "scheduled":
      return s.scheduledAt ? `Scheduled for ${formatDateTime(s.scheduledAt, timeZone)}` : "Scheduled";
    case "cancelled":
      return "Cancelled";
    case "queueing":
      return "Adding recipients…";
    case "queued":
      return s.waiting > 0
        ? `Sending ${(s.recipients - s.waiting).toLocaleString("en-US")} of ${s.recipients.toLocaleString("en-US")}`
        : "Sent";
  }
}

/**
 * Recent newsletters and their delivery progress (the page refreshes itself while one is going or
 * due). A client component for the one Cancel answer above the table: the row it came from
 * changes (to Cancelled, or to started when the cancel came too late) and takes its button away.
 */
export function SendsTable({
  sends,
  timeZone,
  cancelAction,
}: {
  sends: NewsletterProgress[];
  timeZone: string;
  cancelAction: (prev: unknown, data: FormData) => Promise<ActionResult<{ id: string }>>;
}) {
  const [state, formAction, pending] = useActionState(cancelAction, null);
  return (
    <div className="min-w-0 space-y-3">
      <FormMessage id="sends-message" state={state} />
      {sends.length === 0 ? (
        <p>No newsletters yet. Write one above, preview it, then send it now or schedule it for later.</p>
      ) : (
        <StackedTable
          caption="Recent newsletters and their delivery progress"
          columns={sendColumns}
          // Progress updates as the page refreshes itself.
          aria-live="polite"
        >
          {sends.map((s) => (
            <Row key={s.id} data-testid="newsletter-row">
              <Cell label="Started">
                {s.startedAt
                  ? formatDateTime(s.startedAt, timeZone)
                  : s.status === "scheduled" || s.status === "cancelled"
                    ? "Not started"
                    : formatDateTime(s.createdAt, timeZone)}
              </Cell>
              <Cell label="Subject" className="break-words">
                {s.subject}
              </Cell>
              <Cell label="Status">
                <span data-testid="newsletter-status">{statusWords(s, timeZone)}</span>
                {s.status === "scheduled" && (
                  <form action={formAction} className="mt-1">
                    <input type="hidden" name="newsletterId" value={s.id} />
                    <button
                      type="submit"
                      disabled={pending}
                      aria-label={`Cancel the scheduled send of “${s.subject}”`}
                      className="rounded-md border border-red-800 px-3 py-1 text-sm font-semibold text-red-800"
                    >
                      Cancel
                    </button>
                  </form>
                )}
              </Cell>
              <Cell label="Recipients" numeric>
                {s.recipients}
              </Cell>
              <Cell label="Queued" numeric>
                {s.waiting}
              </Cell>
              <Cell label="Sent" numeric>
                {s.sent}
              </Cell>
              <Cell label="Failed" numeric>
                {s.failed}
              </Cell>
              <Cell label="Stopped (opted out since)" numeric>
                {s.suppressed}
              </Cell>
            </Row>
          ))}
        </StackedTable>
      )}
    </div>
  );
}
