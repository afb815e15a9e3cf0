import type { Metadata } from "next";

export const metadata: Metadata = { title: "Contact Us" };

export default function ContactPage() {
  return (
    <div className="max-w-prose space-y-4">
      <h1 className="text-2xl font-bold">Contact Us</h1>
      <p>Call customer service at 1-800-555-0100, 7 a.m. to 9 p.m. every day.</p>
      <p className="text-gray-700">A message form and live chat are on their way to this page.</p>
    </div>
  );
}
