import "server-only";
import { formatDate } from "@/lib/format";
import { lineDiff, type DiffLine } from "./diff";
import { publishedMarkdown, renderPublished } from "./render";
import { currentPolicy, previousOf, publishedVersions, upcomingPolicy, type PolicyVersionInfo } from "./versions";

export type PolicyView = {
  info: PolicyVersionInfo;
  effective: string;
  html: string;
  headings: { level: number; id: string; text: string }[];
  state: "current" | "earlier" | "upcoming";
};

async function view(info: PolicyVersionInfo, now: Date): Promise<PolicyView | null> {
  const rendered = await renderPublished(info.id);
  if (!rendered) return null;
  const current = await currentPolicy(now);
  const state = current?.id === info.id ? "current" : info.effectiveAt > now ? "upcoming" : "earlier";
  return { info, effective: formatDate(info.effectiveAt), ...rendered, state };
}

/** The version in force, rendered (HTML from memory after the first request). */
export async function currentPolicyView(now: Date = new Date()): Promise<PolicyView | null> {
  const current = await currentPolicy(now);
  return current ? view(current, now) : null;
}

/** One published version by its label. */
export async function policyViewByLabel(label: string, now: Date = new Date()): Promise<PolicyView | null> {
  const info = (await publishedVersions()).find((v) => v.version === label);
  return info ? view(info, now) : null;
}

export type VersionRow = PolicyVersionInfo & {
  state: "current" | "earlier" | "upcoming";
  hasPrevious: boolean;
};

/** Every published version, newest first, with which one is in force. */
export async function versionRows(now: Date = new Date()): Promise<VersionRow[]> {
  const versions = await publishedVersions();
  const current = await currentPolicy(now);
  const stateOf = (v: PolicyVersionInfo): VersionRow["state"] =>
    v.id === current?.id ? "current" : v.effectiveAt > now ? "upcoming" : "earlier";
  return versions
    .map((v, i) => ({
      ...v,
      hasPrevious: i > 0,
      state: stateOf(v),
    }))
    .reverse();
}

export type ChangesView = {
  target: PolicyVersionInfo;
  previous: PolicyVersionInfo;
  lines: DiffLine[];
  upcoming: boolean;
};

/**
 * What changed in a version against the one before it. Without a label: the upcoming version
 * (what the notice links to), or else the latest one.
 */
export async function changesView(label?: string, now: Date = new Date()): Promise<ChangesView | null> {
  const versions = await publishedVersions();
  const target = label
    ? versions.find((v) => v.version === label)
    : ((await upcomingPolicy(now)) ?? versions[versions.length - 1]);
  if (!target) return null;
  const previous = previousOf(versions, target.version);
  if (!previous) return null;
  const [before, after] = await Promise.all([publishedMarkdown(previous.id), publishedMarkdown(target.id)]);
  return { target, previous, lines: lineDiff(before, after), upcoming: target.effectiveAt > now };
}
