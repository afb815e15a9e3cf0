import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PolicyDocument } from "@/components/policy/PolicyDocument";
import { currentPolicyView } from "@/lib/policy/pages";

export const metadata: Metadata = { title: "Privacy Policy" };

export default async function PrivacyPage() {
  const policy = await currentPolicyView();
  if (!policy) notFound();
  return (
    <PolicyDocument
      title={policy.info.title}
      version={policy.info.version}
      effective={policy.effective}
      html={policy.html}
      headings={policy.headings}
    />
  );
}
