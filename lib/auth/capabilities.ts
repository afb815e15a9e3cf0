import type { Role } from "@/db/schema";

// Client-safe (types and data only): the console's navigation reads it to show each role its links.

/**
 * THE role table: which roles may do what. Every page (`requirePageUser`), server action
 * (`secureAction`), route handler (`secureRoute`) and domain check names one of these capabilities;
 * no role list is written anywhere else. `e2e/roles.spec.ts` and `lib/auth/roles-table.test.ts`
 * walk every route and every action for every role and hold them to this table, and fail when a
 * route or action has no entry in `routeAccess` below.
 */
export const capabilities = {
  /** Sign-in, registration, password reset, the chat widget, Contact Us, cookie choices. */
  public: "public",
  /** A customer's own MyAccount pages and their saves. */
  "account.own": ["customer"],
  "session.signOut": ["customer", "rep", "marketing", "admin"],
  /** One's own two-step sign-in methods (passkeys, authenticator app, recovery codes): everyone. */
  "twoStep.own": ["customer", "rep", "marketing", "admin"],
  /** The staff console's home page: each role sees its own links there. */
  "console.home": ["rep", "marketing", "admin"],
  /** Find a customer: results show name, account number and city only. */
  "customers.search": ["rep", "admin"],
  /** Open a customer's personal data, under a grant made with a stated reason. */
  "customers.view": ["rep", "admin"],
  /** Change a customer's profile, consent or password-reset on their behalf (reason required). */
  "customers.actFor": ["rep"],
  /** The chat queue, chat side panels and Contact Us requests. */
  "chats.answer": ["rep", "admin"],
  /** Opt-in lists, their exports, and newsletters. */
  marketing: ["marketing", "admin"],
  "admin.staff": ["admin"],
  "admin.audit": ["admin"],
  "admin.lawful": ["admin"],
  "admin.policy": ["admin"],
  "admin.support": ["admin"],
  "admin.usage": ["admin"],
} as const satisfies Record<string, readonly Role[] | "public">;

export type Capability = keyof typeof capabilities;
export type RolesOf<C extends Capability> = (typeof capabilities)[C];
export type StaffCapability = Exclude<Capability, "public">;

export function rolesFor<C extends Capability>(capability: C): RolesOf<C> {
  return capabilities[capability];
}

/** Whether a role holds a capability (a public one is held by everybody). */
export function can(role: Role | null | undefined, capability: Capability): boolean {
  const allowed = capabilities[capability] as readonly Role[] | "public";
  if (allowed === "public") return true;
  return !!role && allowed.includes(role);
}

/**
 * Every page and route handler under app/, by its route pattern, and the capability it requires.
 * A page that serves visitors and signed-in people alike is "public". The role walk fails for a
 * route file that is missing here, so a new page cannot ship without deciding who may open it.
 */
export const routeAccess = {
  "/": "public",
  "/login": "public",
  // The second step and staff enrolment serve a partly signed-in session, which is no session to
  // the door: these pages and their actions read it themselves (lib/auth/sessions.ts findPartialSession).
  "/login/verify": "public",
  "/login/enrol": "public",
  "/register": "public",
  "/forgot-password": "public",
  "/reset-password": "public",
  "/verify-email": "public",
  "/not-me": "public",
  "/undo-email": "public",
  "/contact": "public",
  "/privacy": "public",
  "/privacy/changes": "public",
  "/privacy/cookies": "public",
  "/privacy/versions": "public",
  "/privacy/versions/[version]": "public",
  "/privacy/versions/[version]/changes": "public",
  "/u/[token]": "public",
  "/unsubscribe/[token]": "public",
  "/dev/mailbox": "public",
  "/api/health": "public",
  "/api/chat/start": "public",
  "/api/chat/send": "public",
  "/api/chat/state": "public",
  "/api/chat/typing": "public",
  "/api/chat/end": "public",
  "/api/chat/transcript": "public",
  "/api/chat/proposals/answer": "account.own",
  "/account": "account.own",
  "/account/activity": "account.own",
  "/account/closed": "public",
  "/account/profile": "account.own",
  "/account/security": "account.own",
  "/account/privacy": "account.own",
  "/account/privacy/export": "account.own",
  "/console": "console.home",
  "/console/customers": "customers.search",
  "/console/customers/[id]": "customers.view",
  "/console/chats": "chats.answer",
  "/console/chats/closed": "chats.answer",
  "/console/chats/closed/[id]": "chats.answer",
  "/api/console/chats/queue": "chats.answer",
  "/api/console/chats/take": "chats.answer",
  "/api/console/chats/close": "chats.answer",
  "/api/console/chats/presence": "chats.answer",
  "/api/console/chats/proposals": "chats.answer",
  "/api/console/chats/proposals/withdraw": "chats.answer",
  "/console/marketing": "marketing",
  "/console/marketing/list": "marketing",
  "/console/marketing/export": "marketing",
  "/console/security": "console.home",
  "/console/admin": "admin.staff",
  "/console/admin/staff": "admin.staff",
  "/console/admin/audit": "admin.audit",
  "/console/admin/audit/export": "admin.audit",
  "/console/admin/lawful": "admin.lawful",
  "/console/admin/policy": "admin.policy",
  "/console/admin/support": "admin.support",
  "/console/admin/usage": "admin.usage",
} as const satisfies Record<string, Capability>;

export type RoutePattern = keyof typeof routeAccess;
