import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChangesPage } from "@/components/policy/ChangesPage";
import { changesView } from "@/lib/policy/pages";

export const metadata: Metadata = { title: "Privacy Policy changes" };

export default async function VersionChangesPage({ params }: { params: Promise<{ version: string }> }) {
  const { version } = await params;
  const changes = await changesView(decodeURIComponent(version));
  if (!changes) notFound();
  return <ChangesPage changes={changes} />;
}
