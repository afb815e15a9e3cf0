import "server-only";
import { noteDatabaseError } from "@/db/availability";
import { messages } from "@/lib/messages";

/**
 * For route handlers: a database outage answers 503 with the words users should see, instead of
 * a generic 500. Other errors go on to Next's own handling.
 */
export function withOutage<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (err) {
      if (!noteDatabaseError(err)) throw err;
      return new Response(`${messages.outage}.\n`, {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "10", "Cache-Control": "no-store" },
      });
    }
  };
}
