// How customers reach us outside this site. Client-safe (the page and the chat panel show them).
// Each is one configuration value: change it here and every page and mail follows.

/** Customer service, as printed on the bill. */
export const CUSTOMER_SERVICE_PHONE = "1-800-555-0100";

/** The same number for a tel: link. */
export const CUSTOMER_SERVICE_PHONE_TEL = "+18005550100";

export const CUSTOMER_SERVICE_HOURS = "7 a.m. to 9 p.m. every day";

/** Where privacy questions and requests about personal information go. */
export const PRIVACY_EMAIL = "privacy@lumen-telecom.example";

/** What the acknowledgement mail and the confirmation promise. */
export const CONTACT_REPLY_TIME = "within one business day";
