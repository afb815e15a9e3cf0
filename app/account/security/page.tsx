import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/ChangePasswordForm";
import { SignOutDeviceButton, SignOutEverywhereElse } from "@/components/auth/DeviceActions";
import { requirePageUser } from "@/lib/auth/current";
import { formatDateTime } from "@/lib/format";
import { listDevices } from "@/lib/auth/sessions";
import { changePasswordAction, signOutDeviceAction, signOutEverywhereElseAction } from "./actions";

export const metadata: Metadata = { title: "Sign-in and security" };

export default async function SecurityPage() {
  const session = await requirePageUser("account.own", "/account/security");
  const devices = await listDevices(session.userId);
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-bold">Sign-in and security</h1>
      <section aria-labelledby="devices-heading" className="space-y-4">
        <h2 id="devices-heading" className="text-xl font-semibold">
          Devices signed in to your account
        </h2>
        <ul className="divide-y divide-gray-300 rounded-md border border-gray-300" aria-label="Signed-in devices">
          {devices.map((d) => {
            const label = `${d.browser} on ${d.os}`;
            const current = d.id === session.sessionId;
            return (
              <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 p-4" data-testid="device">
                <div>
                  <p className="font-medium">
                    {label}{" "}
                    {current && (
                      <span className="ml-2 rounded bg-brand-100 px-2 py-0.5 text-sm text-brand-800">This device</span>
                    )}
                  </p>
                  <p className="text-sm text-gray-700">
                    IP address {d.ip || "unknown"} · Signed in {formatDateTime(d.createdAt)} UTC · Last seen{" "}
                    {formatDateTime(d.lastSeenAt)} UTC
                  </p>
                </div>
                {!current && <SignOutDeviceButton action={signOutDeviceAction} sessionId={d.id} label={label} />}
              </li>
            );
          })}
        </ul>
        {/* Always rendered: hiding it once the other devices are gone would also remove its result message. */}
        <SignOutEverywhereElse action={signOutEverywhereElseAction} />
      </section>
      <section aria-labelledby="password-heading" className="max-w-md space-y-4">
        <h2 id="password-heading" className="text-xl font-semibold">
          Change password
        </h2>
        <p className="text-sm text-gray-700">Changing your password signs out every other device.</p>
        <ChangePasswordForm action={changePasswordAction} />
      </section>
    </div>
  );
}
