import type { Metadata } from "next";
import Link from "next/link";
import { CreateStaffForm, DisableForm, ResetTwoStepForm, RoleForm } from "@/components/console/admin/StaffForms";
import { Cell, Row, StackedTable } from "@/components/ui/StackedTable";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { INVITATION_TTL_HOURS, listStaff } from "@/lib/staff/staff";
import { changeStaffRoleAction, createStaffAction, resetStaffTwoStepAction, setStaffDisabledAction } from "./actions";

export const metadata: Metadata = { title: "Staff accounts" };

const staffColumns = [
  { label: "Name" },
  { label: "Username and e-mail" },
  { label: "Role" },
  { label: "Status" },
  { label: "Two-step" },
  { label: "Last sign-in" },
  { label: "Access" },
];

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
          at once. There is always at least one active administrator. Every staff account needs two-step sign-in before
          the console opens; resetting it (a lost phone) makes them set it up again.
        </p>
      </div>

      <section aria-labelledby="staff-heading" className="space-y-3">
        <h2 id="staff-heading" className="text-xl font-semibold">
          Staff ({staff.length})
        </h2>
        {staff.length === 0 ? (
          <p>No staff accounts yet. Add the first one below.</p>
        ) : (
          <StackedTable caption="Staff accounts, by last name" columns={staffColumns}>
            {staff.map((m) => (
              <Row key={m.id} data-testid="staff-row" data-username={m.username}>
                <Cell label="Name">
                  {m.firstName} {m.lastName}
                  {m.id === session.userId && <span className="text-gray-700"> (you)</span>}
                </Cell>
                <Cell label="Username and e-mail" className="[overflow-wrap:anywhere]">
                  {m.username}
                  <span className="block text-gray-700">{m.email}</span>
                </Cell>
                <Cell label="Role">
                  <RoleForm member={m} action={changeStaffRoleAction} />
                </Cell>
                <Cell label="Status" data-testid="staff-status">
                  {m.disabled ? (
                    <span className="font-semibold text-red-800">Disabled</span>
                  ) : m.invited ? (
                    "Invited — no password yet"
                  ) : (
                    "Active"
                  )}
                </Cell>
                <Cell label="Two-step" data-testid="staff-two-step">
                  {m.twoStep ?? <span className="text-gray-700">Not set up — asked at next sign-in</span>}
                </Cell>
                <Cell label="Last sign-in">
                  {m.lastSignInAt ? formatDateTime(m.lastSignInAt, session.timeZone) : "Never"}
                </Cell>
                <Cell>
                  <div className="space-y-2">
                    <DisableForm member={m} action={setStaffDisabledAction} />
                    {m.twoStep && m.id !== session.userId && (
                      <ResetTwoStepForm member={m} action={resetStaffTwoStepAction} />
                    )}
                  </div>
                </Cell>
              </Row>
            ))}
          </StackedTable>
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
