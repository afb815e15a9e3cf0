import type { Metadata } from "next";
import Link from "next/link";
import { RegisterForm } from "@/components/auth/RegisterForm";
import { registerAction } from "./actions";

export const metadata: Metadata = { title: "Register" };

export default function RegisterPage() {
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-bold">Register for MyAccount</h1>
      <p className="text-gray-700">
        Already a customer? Link your account to an online login. You need your account number and the ZIP code of the
        address where we provide service.
      </p>
      <RegisterForm action={registerAction} />
      <p className="text-sm">
        Already registered?{" "}
        <Link className="text-brand-700 underline" href="/login">
          Sign in
        </Link>
      </p>
    </div>
  );
}
