// The company's name as customers see it. Client-safe. One configuration value: pages, mails and
// the privacy policy (its `{{brand}}` placeholder) all read it from here.
export const BRAND_NAME = "Lumen Telecom";
