/**
 * The label of the first policy version, shipped by migration 0008 (the company's 2005 policy).
 * Consent rows cite it if no version were published; the bench's bulk ledger rows cite it too.
 */
export const FIRST_POLICY_VERSION = "2005-11-14";
