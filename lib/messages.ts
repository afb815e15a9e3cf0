/**
 * The words a person reads when something is refused or fails, in one table. Domain functions in
 * lib/ report failures as a `MessageCode`; the edge (the action door, a route handler, a page)
 * turns the code into these words. Client-safe: forms and error pages import it too.
 *
 * Field-level validation messages of the zod schemas stay beside their fields in the schema
 * files: the same schema runs in the browser and on the server, so they are typed once already.
 */
export const messages = {
  invalidInput: "Please correct the highlighted fields.",
  httpsRequired: "For your security, changes to your profile can only be made over a secure (HTTPS) connection",
  signedOut: "Your session has ended. Please sign in again.",
  forbidden: "You don't have permission to do that.",
  unexpected: "Something went wrong on our side — nothing was changed. Please try again.",
  outage: "We can't reach our systems right now — nothing was changed, please try again",
} as const;

export type MessageCode = keyof typeof messages;
