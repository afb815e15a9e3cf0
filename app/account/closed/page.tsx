import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Your account is closed" };

// Shown after "Close my account", to a browser that is already signed out: no session needed.
export default function AccountClosedPage() {
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Your account is closed</h1>
      <p>
        You have been signed out on every device, and you will get no more marketing e-mail from us. We have sent a
        confirmation to your last e-mail address.
      </p>
      <p>
        Your name, username, e-mail address, phone number, addresses and payment method are removed from MyAccount. We
        keep the record of the choices you made and of what happened to your account — without your personal details —
        as evidence of what you agreed to. Your service and bills are not affected.
      </p>
      <p>
        Changed your mind, or have a question?{" "}
        <Link className="text-brand-700 underline" href="/contact">
          Contact us
        </Link>
        .
      </p>
    </div>
  );
}
