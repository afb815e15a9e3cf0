import { formatDate } from "@/lib/format";
import { upcomingPolicy } from "@/lib/policy/versions";
import { PolicyNoticeBar } from "./PolicyNoticeBar";

/**
 * Shown on every page from publishing until a new version takes effect. Reads the versions from
 * lib/policy's short in-memory cache, so it adds no query to most requests.
 */
export async function PolicyNotice() {
  let upcoming;
  try {
    upcoming = await upcomingPolicy();
  } catch {
    // A database outage must not take every page down with it; the notice simply waits.
    return null;
  }
  if (!upcoming) return null;
  return <PolicyNoticeBar date={formatDate(upcoming.effectiveAt)} />;
}
