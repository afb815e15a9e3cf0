import Link from "next/link";
import { redirect } from "next/navigation";
import { currentSession, homeFor } from "@/lib/auth/current";

export default async function Home() {
  const session = await currentSession();
  if (session) redirect(homeFor(session.role));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">MyAccount</h1>
      <p className="max-w-prose text-gray-700">
        Manage your phone and internet service online: update your profile and payment method, choose which e-mail you
        get, and see who accessed your information.
      </p>
      <div className="flex gap-4">
        <Link href="/login" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          Sign in
        </Link>
        <Link
          href="/register"
          className="rounded-md border border-brand-600 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50"
        >
          Register
        </Link>
      </div>
    </div>
  );
}
