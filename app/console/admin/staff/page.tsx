import type { Metadata } from "next";
import Link from "next/link";
import { CreateStaffForm, DisableForm, RoleForm } from "@/components/console/admin/StaffForms";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { INVITATION_TTL_HOURS, listStaff } from "@/lib/staff/staff";
import { changeStaffRoleAction, createStaffAction, setStaffDisabledAction } from "./actions";

export const metadata: Metadata = { title: "Staff accounts" };

// Stacked rows below the sm breakpoint: each cell shows its own label, nothing scrolls sideways.
const cell = "block py-1 sm:table-cell sm:py-2 sm:pr-3 sm:align-top";
const label = "font-semibold sm:hidden";

export default async function StaffPage() {
  const session = await requirePageUser("admin.staff", "/console/admin/staff");
  const staff = await listStaff();
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p>
          <Link href="/console/admin" className="text-brand-700 underline">
            Administration
          </Link>
        </p>
        <h1 className="text-2xl font-bold">Staff accounts</h1>
        <p className="text-gray-700">
          Reps, marketing staff and administrators. Changing someone&apos;s role or disabling them ends their sessions
          at once. There is always at least one active administrator.
        </p>
      </div>

      <section aria-labelledby="staff-heading" className="space-y-3">
        <h2 id="staff-heading" className="text-xl font-semibold">
          Staff ({staff.length})
        </h2>
        {staff.length === 0 ? (
          <p>No staff accounts yet. Add the first one below.</p>
        ) : (
          <table className="block w-full border-collapse text-left text-sm sm:table">
            <caption className="sr-only">Staff accounts, by last name</caption>
            <thead className="max-sm:sr-only">
              <tr className="border-b border-gray-400">
                <th scope="col" className="py-2 pr-3">
                  Name
                </th>
                <th scope="col" className="py-2 pr-3">
                  Username and e-mail
                </th>
                <th scope="col" className="py-2 pr-3">
                  Role
                </th>
                <th scope="col" className="py-2 pr-3">
                  Status
                </th>
                <th scope="col" className="py-2 pr-3">
                  Last sign-in (UTC)
                </th>
                <th scope="col" className="py-2">
                  Access
                </th>
              </tr>
            </thead>
            <tbody className="block sm:table-row-group">
              {staff.map((m) => (
                <tr
                  key={m.id}
                  className="block border-b border-gray-200 py-2 sm:table-row sm:py-0"
                  data-testid="staff-row"
                  data-username={m.username}
                >
                  <td className={cell}>
                    <span className={label}>Name: </span>
                    {m.firstName} {m.lastName}
                    {m.id === session.userId && <span className="text-gray-700"> (you)</span>}
                  </td>
                  <td className={`${cell} [overflow-wrap:anywhere]`}>
                    <span className={label}>Username: </span>
                    {m.username}
                    <span className="block text-gray-700">{m.email}</span>
                  </td>
                  <td className={cell}>
                    <span className={label}>Role: </span>
                    <RoleForm member={m} action={changeStaffRoleAction} />
                  </td>
                  <td className={cell} data-testid="staff-status">
                    <span className={label}>Status: </span>
                    {m.disabled ? (
                      <span className="font-semibold text-red-800">Disabled</span>
                    ) : m.invited ? (
                      "Invited — no password yet"
                    ) : (
                      "Active"
                    )}
                  </td>
                  <td className={cell}>
                    <span className={label}>Last sign-in: </span>
                    {m.lastSignInAt ? formatDateTime(m.lastSignInAt) : "Never"}
                  </td>
                  <td className={cell}>
                    <DisableForm member={m} action={setStaffDisabledAction} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="add-heading" className="space-y-3 rounded-lg border border-gray-300 p-4 sm:p-5">
        <h2 id="add-heading" className="text-xl font-semibold">
          Add a staff member
        </h2>
        <p className="text-gray-700">
          They get an e-mail with a link to choose their own password (it works once, for {INVITATION_TTL_HOURS} hours).
          You never see or set their password.
        </p>
        <CreateStaffForm action={createStaffAction} />
      </section>
    </div>
  );
}
