import "server-only";
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
