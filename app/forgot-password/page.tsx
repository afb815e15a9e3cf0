import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/components/auth/ForgotPasswordForm";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Forgot your password?</h1>
      <p className="text-gray-700">We will e-mail a link to choose a new one to the address on file.</p>
      <ForgotPasswordForm action={forgotPasswordAction} />
    </div>
  );
}
