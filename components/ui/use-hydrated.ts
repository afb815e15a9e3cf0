"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False while the server renders the page and while the browser hydrates it, true from then on.
 * Forms show their JavaScript-off shape (every field, the server's errors) until it is true, so
 * the first render matches the HTML that works without JavaScript.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
