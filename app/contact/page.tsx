import type { Metadata } from "next";
import { ContactForm } from "@/components/contact/ContactForm";
import { currentSession } from "@/lib/auth/current";
import {
  CUSTOMER_SERVICE_HOURS,
  CUSTOMER_SERVICE_PHONE,
  CUSTOMER_SERVICE_PHONE_TEL,
  PRIVACY_EMAIL,
} from "@/lib/contact/details";
import { contactDefaultsFor } from "@/lib/contact/prefill";
import { submitContactRequestAction } from "./actions";

export const metadata: Metadata = { title: "Contact Us" };

// Open to everyone: visitors and signed-in customers (whose details are filled in for them).
export default async function ContactPage() {
  const defaults = await contactDefaultsFor(await currentSession());
  return (
    <div className="space-y-8">
      <div className="max-w-prose space-y-2">
        <h1 className="text-2xl font-bold">Contact Us</h1>
        <p className="text-gray-700">
          Write to us below, or call customer service. For help right now, use the Need Help button to chat with us
          while a representative is online.
        </p>
      </div>
      <div className="grid items-start gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <section className="rounded-lg border border-gray-300 p-5">
          <ContactForm action={submitContactRequestAction} defaults={defaults} headingLevel={2} />
        </section>
        <div className="space-y-6">
          <section aria-labelledby="call-us" className="space-y-1">
            <h2 id="call-us" className="text-xl font-semibold">
              Call us
            </h2>
            <p>
              <a className="text-lg font-semibold text-brand-700 underline" href={`tel:${CUSTOMER_SERVICE_PHONE_TEL}`}>
                {CUSTOMER_SERVICE_PHONE}
              </a>
            </p>
            <p className="text-gray-700">{CUSTOMER_SERVICE_HOURS}.</p>
          </section>
          <section aria-labelledby="privacy-questions" className="space-y-1">
            <h2 id="privacy-questions" className="text-xl font-semibold">
              Privacy questions
            </h2>
            <p className="text-gray-700">
              To ask about your personal information, or what we do with it, write to{" "}
              <a className="text-brand-700 underline wrap-anywhere" href={`mailto:${PRIVACY_EMAIL}`}>
                {PRIVACY_EMAIL}
              </a>{" "}
              or choose “Privacy question” in the form. Read our{" "}
              <a className="text-brand-700 underline" href="/privacy">
                Online Privacy Policy
              </a>
              .
            </p>
          </section>
        </div>
      </div>
    </div>
  );
}
