import "server-only";
import { after } from "next/server";

/**
 * Runs work after the response has gone out. The public forms (registration, password reset) do
 * their lookups and queue their mail here, so how long the answer takes cannot tell whether an
 * address or account exists. Next's `after()` in the app (server.ts's Node server supports it);
 * tests pass their own to run the work when they choose.
 */
export type Later = (task: () => Promise<void>) => void;

export const afterAnswer: Later = (task) => after(task);
