import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { formatDateTime } from "@/lib/format";
import type { NewsletterProgress } from "@/lib/marketing/newsletter";

const sendColumns = [
  { label: "Started" },
  { label: "Subject" },
  { label: "Recipients", numeric: true },
  { label: "Queued", numeric: true },
  { label: "Sent", numeric: true },
  { label: "Failed", numeric: true },
  { label: "Stopped (opted out since)", numeric: true },
];

/** Recent newsletters and their delivery progress (the page refreshes itself while one is going). */
export function SendsTable({ sends, timeZone }: { sends: NewsletterProgress[]; timeZone: string }) {
  if (sends.length === 0) return <p>No newsletters sent yet.</p>;
  return (
    <StackedTable
      caption="Recent newsletters and their delivery progress"
      columns={sendColumns}
      // Progress updates as the page refreshes itself.
      aria-live="polite"
    >
      {sends.map((s) => (
        <Row key={s.id} data-testid="newsletter-row">
          <Cell label="Started">{formatDateTime(s.createdAt, timeZone)}</Cell>
          <Cell label="Subject" className="break-words">
            {s.subject}
          </Cell>
          <Cell label="Recipients" numeric>
            {s.recipients}
            {s.status === "queueing" ? " (adding…)" : ""}
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
  );
}
