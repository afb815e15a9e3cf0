import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { policyVersions } from "@/db/schema";
import { CUSTOMER_SERVICE_PHONE, PRIVACY_EMAIL } from "@/lib/contact/details";
import { BRAND_NAME } from "@/lib/brand";
import { renderMarkdown, type Rendered } from "@/lib/markdown/render";

/** What the policy's placeholders stand for: each one configuration value. */
export const POLICY_VARS: Record<string, string> = {
  brand: BRAND_NAME,
  privacyEmail: PRIVACY_EMAIL,
  phone: CUSTOMER_SERVICE_PHONE,
};

/**
 * A published version never changes, so its HTML is rendered once per process and kept (keyed by
 * id and text, so a draft's preview, which does change, simply renders anew). Bounded, because
 * drafts previewed over a long uptime would otherwise pile up.
 */
const rendered = new Map<string, Rendered>();
const MAX_ENTRIES = 50;

export function renderPolicy(version: { id: number; markdown: string; published: boolean }): Rendered {
  if (!version.published) return renderMarkdown(version.markdown, POLICY_VARS);
  const key = `${version.id}`;
  const hit = rendered.get(key);
  if (hit) return hit;
  const out = renderMarkdown(version.markdown, POLICY_VARS);
  if (rendered.size >= MAX_ENTRIES) rendered.delete(rendered.keys().next().value!);
  rendered.set(key, out);
  return out;
}

/** A published version's HTML by id: from memory after the first request, so /privacy costs no parse. */
export async function renderPublished(id: number): Promise<Rendered | null> {
  const hit = rendered.get(`${id}`);
  if (hit) return hit;
  const [row] = await db
    .select({ markdown: policyVersions.markdown, status: policyVersions.status })
    .from(policyVersions)
    .where(eq(policyVersions.id, id));
  if (!row || row.status !== "published") return null;
  return renderPolicy({ id, markdown: row.markdown, published: true });
}

/** Published text by id, for diffs (kept alongside the HTML: published text never changes). */
const texts = new Map<number, string>();
export async function publishedMarkdown(id: number): Promise<string> {
  const hit = texts.get(id);
  if (hit !== undefined) return hit;
  const [row] = await db
    .select({ markdown: policyVersions.markdown })
    .from(policyVersions)
    .where(and(eq(policyVersions.id, id), eq(policyVersions.status, "published")));
  if (!row) return "";
  if (texts.size >= MAX_ENTRIES) texts.delete(texts.keys().next().value!);
  texts.set(id, row.markdown);
  return row.markdown;
}
