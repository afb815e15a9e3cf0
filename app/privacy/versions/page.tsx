import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/lib/format";
import { versionRows } from "@/lib/policy/pages";

export const metadata: Metadata = { title: "Privacy Policy versions" };

const stateWords = { current: "In force", earlier: "Earlier version", upcoming: "Takes effect soon" } as const;

export default async function PolicyVersionsPage() {
  const rows = await versionRows();
  return (
    <div className="max-w-3xl space-y-5">
      <h1 className="text-2xl font-bold">Privacy Policy versions</h1>
      <p className="text-gray-700">
        Every version of our online privacy policy, with the dates it was published and took effect. Consent records in
        your account name the version in force when you made each choice.
      </p>
      <ul className="space-y-3">
        {rows.map((v) => (
          <li key={v.id} className="rounded-lg border border-gray-300 p-4">
            <h2 className="text-lg font-semibold">
              <Link href={`/privacy/versions/${v.version}`} className="text-brand-700 underline">
                Version {v.version}
              </Link>{" "}
              <span className="text-base font-normal text-gray-700">— {stateWords[v.state]}</span>
            </h2>
            <p className="text-sm text-gray-700">
              Effective {formatDate(v.effectiveAt)} · Published {formatDate(v.publishedAt)}
              {v.material ? " · Material change" : ""}
            </p>
            {v.summary && <p className="mt-1">{v.summary}</p>}
            {v.hasPrevious && (
              <p className="mt-1">
                <Link href={`/privacy/versions/${v.version}/changes`} className="text-brand-700 underline">
                  What changed in {v.version}
                </Link>
              </p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
