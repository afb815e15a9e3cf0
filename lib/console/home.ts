import "server-only";
import type { ActiveSession } from "@/lib/auth/sessions";
import { can } from "@/lib/auth/capabilities";
import { listWaiting } from "@/lib/chat/queue";
import { countOpenContactRequests } from "@/lib/contact/queries";
import { optInCounts } from "@/lib/marketing/lists";
import { listMarketingTopics } from "@/lib/preferences/queries";
import { recentCustomersOf, type RecentCustomer } from "./customer";

export type ConsoleHome = {
  /** Present when the role may search customers: the staff member's own recent customers. */
  customers: { recent: RecentCustomer[] } | null;
  support: { waitingChats: number; openContactRequests: number } | null;
  marketing: { topics: { id: string; name: string; optIns: number }[] } | null;
  admin: boolean;
};

/**
 * What the console's home shows a staff member: each block only when the role table gives the
 * role that capability, so the home page and the pages it links to can never disagree.
 */
export async function consoleHomeFor(session: ActiveSession): Promise<ConsoleHome> {
  const role = session.role;
  const [recent, waiting, openRequests, topics, counts] = await Promise.all([
    can(role, "customers.search") ? recentCustomersOf(session.userId, 8) : null,
    can(role, "chats.answer") ? listWaiting() : null,
    can(role, "chats.answer") ? countOpenContactRequests() : null,
    can(role, "marketing") ? listMarketingTopics() : null,
    can(role, "marketing") ? optInCounts() : null,
  ]);
  return {
    customers: recent ? { recent } : null,
    support:
      waiting && openRequests !== null ? { waitingChats: waiting.length, openContactRequests: openRequests } : null,
    marketing:
      topics && counts ? { topics: topics.map((t) => ({ id: t.id, name: t.name, optIns: counts[t.id] ?? 0 })) } : null,
    admin: can(role, "admin.staff"),
  };
}
