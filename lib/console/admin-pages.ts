import type { Capability } from "@/lib/auth/capabilities";

// Client-safe data: the console home and the admin section's home list the same pages.

/** The admin section's pages, what each is for, and the capability that opens it. */
export const adminPages = [
  {
    href: "/console/admin/staff",
    name: "Staff accounts",
    what: "Add reps, marketing staff and administrators, change roles, disable accounts.",
    capability: "admin.staff",
  },
  {
    href: "/console/admin/audit",
    name: "Audit log",
    what: "Who did what and when, for every account; filter it and export it as CSV.",
    capability: "admin.audit",
  },
  {
    href: "/console/admin/lawful",
    name: "Lawful requests",
    what: "Record what was disclosed to an authority, on what legal basis, about which customers.",
    capability: "admin.lawful",
  },
  {
    href: "/console/admin/policy",
    name: "Privacy policy",
    what: "Draft, compare and publish versions of the privacy policy.",
    capability: "admin.policy",
  },
  {
    href: "/console/admin/support",
    name: "Support settings",
    what: "Chat hours, transcript retention and the canned replies reps use.",
    capability: "admin.support",
  },
  {
    href: "/console/admin/usage",
    name: "Usage figures",
    what: "Page views and campaign visits, counted without tracking people.",
    capability: "admin.usage",
  },
] as const satisfies readonly { href: string; name: string; what: string; capability: Capability }[];
