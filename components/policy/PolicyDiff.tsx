import { diffCounts, diffHunks, type DiffLine } from "@/lib/policy/diff";

const lineClass = {
  same: "text-gray-700",
  added: "bg-green-50 text-green-900",
  removed: "bg-red-50 text-red-900",
} as const;

const marker = { same: " ", added: "+", removed: "−" } as const;
const spoken = { same: "", added: "Added: ", removed: "Removed: " } as const;

/** A line diff of two policy texts: changes with a little context, additions and removals marked in words too. */
export function PolicyDiff({ lines, label }: { lines: DiffLine[]; label: string }) {
  const { hunks, skippedAfter } = diffHunks(lines);
  const counts = diffCounts(lines);
  if (hunks.length === 0) return <p className="text-gray-700">The text is unchanged.</p>;
  return (
    <section aria-label={label} className="space-y-2">
      <p className="text-sm text-gray-700">
        {counts.added} line(s) added, {counts.removed} line(s) removed.
      </p>
      <div className="overflow-hidden rounded-md border border-gray-300 font-mono text-sm">
        {hunks.map((h, i) => (
          <div key={i}>
            {h.skippedBefore > 0 && (
              <p className="bg-gray-100 px-3 py-1 text-gray-700">… {h.skippedBefore} unchanged line(s) …</p>
            )}
            <ul>
              {h.lines.map((l, j) => {
                const Tag = l.kind === "added" ? "ins" : l.kind === "removed" ? "del" : "span";
                return (
                  <li key={j} className={`flex gap-2 px-3 ${lineClass[l.kind]}`}>
                    <span aria-hidden="true" className="select-none">
                      {marker[l.kind]}
                    </span>
                    <Tag className="min-w-0 whitespace-pre-wrap break-words no-underline">
                      {spoken[l.kind] && <span className="sr-only">{spoken[l.kind]}</span>}
                      {l.text || " "}
                    </Tag>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
        {skippedAfter > 0 && (
          <p className="bg-gray-100 px-3 py-1 text-gray-700">… {skippedAfter} unchanged line(s) …</p>
        )}
      </div>
    </section>
  );
}
