import Link from "next/link";
import { PolicyDiff } from "@/components/policy/PolicyDiff";
import { formatDate } from "@/lib/format";
import type { ChangesView } from "@/lib/policy/pages";

/** What changed in one version against the one before it: dates, the summary, the line diff. */
export function ChangesPage({ changes }: { changes: ChangesView }) {
  const { target, previous } = changes;
  const when = formatDate(target.effectiveAt);
  return (
    <div className="max-w-3xl space-y-5">
      <h1 className="text-2xl font-bold">
        {changes.upcoming ? `What's changing on ${when}` : `What changed on ${when}`}
      </h1>
      <p className="text-gray-700">
        Version{" "}
        <Link href={`/privacy/versions/${target.version}`} className="text-brand-700 underline">
          {target.version}
        </Link>{" "}
        ({target.material ? "a material change" : "not a material change"}, published {formatDate(target.publishedAt)})
        compared with version{" "}
        <Link href={`/privacy/versions/${previous.version}`} className="text-brand-700 underline">
          {previous.version}
        </Link>
        .
      </p>
      {target.summary && (
        <section aria-labelledby="summary-heading" className="rounded-lg border border-gray-300 p-4">
          <h2 id="summary-heading" className="text-lg font-semibold">
            In short
          </h2>
          <p className="mt-1 whitespace-pre-line">{target.summary}</p>
        </section>
      )}
      <h2 className="text-xl font-semibold">Line by line</h2>
      <PolicyDiff lines={changes.lines} label={`Changes in version ${target.version}`} />
      <p>
        <Link href="/privacy/versions" className="text-brand-700 underline">
          All versions
        </Link>
      </p>
    </div>
  );
}
