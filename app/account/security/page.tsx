import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/ChangePasswordForm";
import { SignOutDeviceButton, SignOutEverywhereElse } from "@/components/auth/DeviceActions";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { deviceList, signInMethodWords } from "@/lib/auth/devices";
import { twoStepStatus } from "@/lib/two-step/manage";
import { TwoStepSection } from "@/components/two-step/TwoStepSection";
import { changePasswordAction, signOutDeviceGroupAction, signOutEverywhereElseAction } from "./actions";
import { twoStepActions } from "./two-step-actions";

export const metadata: Metadata = { title: "Sign-in and security" };

export default async function SecurityPage() {
  const session = await requirePageUser("account.own", "/account/security");
  const { current, groups } = await deviceList(session.userId, session.sessionId);
  const twoStep = await twoStepStatus(session, current);
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-bold">Sign-in and security</h1>
      <section id="devices" aria-labelledby="devices-heading" className="scroll-mt-4 space-y-4">
        <h2 id="devices-heading" className="text-xl font-semibold">
          Devices signed in to your account
        </h2>
        <ul className="divide-y divide-gray-300 rounded-md border border-gray-300" aria-label="Signed-in devices">
          {current && (
            <li className="flex flex-wrap items-center justify-between gap-3 p-4" data-testid="device">
              <div>
                <p className="font-medium">
                  {current.browser} on {current.os}{" "}
                  <span className="ml-2 rounded bg-brand-100 px-2 py-0.5 text-sm text-brand-800">This device</span>
                </p>
                <p className="text-sm text-gray-700">
                  IP address {current.ip || "unknown"} · Signed in {formatDateTime(current.createdAt, session.timeZone)}{" "}
                  with {signInMethodWords(current.verifiedBy)} · Last seen{" "}
                  {formatDateTime(current.lastSeenAt, session.timeZone)}
                </p>
              </div>
            </li>
          )}
          {groups.map((g) => {
            const count = g.sessionIds.length;
            const label = `${g.browser} on ${g.os}${count > 1 ? ` (${count} sessions)` : ""}`;
            return (
              <li
                key={g.sessionIds[0]}
                className="flex flex-wrap items-center justify-between gap-3 p-4"
                data-testid="device"
              >
                <div>
                  <p className="font-medium">
                    {g.browser} on {g.os}{" "}
                    {count > 1 && (
                      <span className="ml-2 rounded bg-gray-100 px-2 py-0.5 text-sm text-gray-800">
                        {count} sessions
                      </span>
                    )}
                  </p>
                  <p className="text-sm text-gray-700">
                    IP address {g.ip || "unknown"} · {count > 1 ? "First signed in" : "Signed in"}{" "}
                    {formatDateTime(g.firstSignedInAt, session.timeZone)} with{" "}
                    {g.verifiedBy.map(signInMethodWords).join(", ")} · Last seen{" "}
                    {formatDateTime(g.lastSeenAt, session.timeZone)}
                  </p>
                </div>
                <SignOutDeviceButton action={signOutDeviceGroupAction} sessionIds={g.sessionIds} label={label} />
              </li>
            );
          })}
        </ul>
        {/* Always rendered: hiding it once the other devices are gone would also remove its result message. */}
        <SignOutEverywhereElse action={signOutEverywhereElseAction} />
      </section>
      <TwoStepSection actions={twoStepActions} status={twoStep} />
      <section aria-labelledby="password-heading" className="max-w-md space-y-4">
        <h2 id="password-heading" className="text-xl font-semibold">
          Change password
        </h2>
        <p className="text-sm text-gray-700">Changing your password signs out every other device.</p>
        <ChangePasswordForm
          action={changePasswordAction}
          passkey={twoStep.passkeys.length > 0 ? twoStepActions : undefined}
        />
      </section>
    </div>
  );
}
