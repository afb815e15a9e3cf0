import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PolicyDocument } from "@/components/policy/PolicyDocument";
import { policyViewByLabel } from "@/lib/policy/pages";

type Props = { params: Promise<{ version: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { version } = await params;
  return { title: `Privacy Policy, version ${version.slice(0, 40)}` };
}

export default async function PolicyVersionPage({ params }: Props) {
  const { version } = await params;
  const policy = await policyViewByLabel(decodeURIComponent(version));
  if (!policy) notFound();
  const status =
    policy.state === "current" ? (
      <p className="text-gray-700">This is the version in force.</p>
    ) : (
      <p className="rounded-md border border-amber-400 bg-amber-50 p-3 text-amber-950">
        {policy.state === "upcoming"
          ? `This version takes effect on ${policy.effective}. `
          : "This version is no longer in force. "}
        <Link href="/privacy" className="underline">
          Read the policy in force
        </Link>
        {policy.state === "upcoming" && (
          <>
            {" or "}
            <Link href={`/privacy/versions/${policy.info.version}/changes`} className="underline">
              see what&apos;s changing
            </Link>
          </>
        )}
        .
      </p>
    );
  return (
    <PolicyDocument
      title={policy.info.title}
      version={policy.info.version}
      effective={policy.effective}
      html={policy.html}
      headings={policy.headings}
      status={status}
    />
  );
}
