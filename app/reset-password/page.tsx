import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/ResetPasswordForm";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {token ? (
        <ResetPasswordForm action={resetPasswordAction} token={token.slice(0, 200)} />
      ) : (
        <p>
          This link is incomplete.{" "}
          <Link className="text-brand-700 underline" href="/forgot-password">
            Ask for a new reset link
          </Link>
          .
        </p>
      )}
    </div>
  );
}
