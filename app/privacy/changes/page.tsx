import type { Metadata } from "next";
import Link from "next/link";
import { ChangesPage } from "@/components/policy/ChangesPage";
import { changesView } from "@/lib/policy/pages";

export const metadata: Metadata = { title: "Privacy Policy changes" };

/** The upcoming change the site-wide notice links to, or else the latest one. */
export default async function PolicyChangesPage() {
  const changes = await changesView();
  if (!changes) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Privacy Policy changes</h1>
        <p>
          The policy has not changed since it was first published.{" "}
          <Link href="/privacy" className="text-brand-700 underline">
            Read the policy
          </Link>
          .
        </p>
      </div>
    );
  }
  return <ChangesPage changes={changes} />;
}
