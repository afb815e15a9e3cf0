import "server-only";
/**
 * The privacy policy version in force, recorded with every consent event. The policy issue
 * replaces this constant with the policy_versions table.
 */
export const CURRENT_POLICY_VERSION = "2005-11-14";
