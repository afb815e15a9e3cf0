import { z } from "zod/mini";

// Client-safe: the find-a-customer page's form and lib/console/search.ts read the same limits.

/** The longest search a rep may type (the input's maxlength says the same). */
export const CUSTOMER_SEARCH_MAX = 100;
export const CUSTOMER_PAGE_SIZE = 20;
/**
 * Results are counted up to this many (25 pages). A search that matches more is too broad to page
 * through by hand, and counting every match of "j" in a million customers would cost far more
 * than the page itself; the page asks for more of the name instead.
 */
export const CUSTOMER_RESULTS_CAP = 500;
export const CUSTOMER_MAX_PAGE = CUSTOMER_RESULTS_CAP / CUSTOMER_PAGE_SIZE;

export const customerSearchSchema = z.object({
  q: z._default(
    z.string().check(
      // Control characters (a NUL in a hand-made URL would make Postgres refuse the text) become
      // spaces; runs of spaces are one space, so "jo   gar" is the two words it looks like.
      z.overwrite((v) => v.replace(/[\u0000-\u001f\u007f]/g, " ")),
      z.trim(),
      z.maxLength(CUSTOMER_SEARCH_MAX, `Use at most ${CUSTOMER_SEARCH_MAX} characters`),
      z.overwrite((v) => v.replace(/\s+/g, " ")),
    ),
    "",
  ),
  // A page number from a hand-edited link that is not 1…25 shows the first page, not an error.
  page: z.catch(z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(CUSTOMER_MAX_PAGE)), 1), 1),
});

export type CustomerSearchInput = z.input<typeof customerSearchSchema>;
