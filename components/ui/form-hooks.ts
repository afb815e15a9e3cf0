"use client";

import { startTransition, useActionState, useEffect, type FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type * as zcore from "zod/v4/core";
import type { ActionResult } from "@/lib/actions/result";
import { isSecretField } from "@/lib/actions/secret-fields";
import { useHydrated } from "./use-hydrated";

// `prev` is loosely typed so a form can take actions whose success data differs (or that redirect).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FormAction<T> = (prev: ActionResult<any> | null, data: FormData) => Promise<ActionResult<T>>;

/**
 * An action's state kept by a parent (Edit Profile's section, which must see a save's outcome even
 * when the server renders the answer to a JavaScript-off post): the form uses it instead of its own.
 */
export type LiftedAction = {
  state: ActionResult<unknown> | null;
  formAction: (data: FormData) => void;
  pending: boolean;
};

function scalars(values: Record<string, unknown> | undefined): Record<string, string | boolean> | undefined {
  if (!values) return undefined;
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === "boolean" || typeof v === "string") out[k] = v;
    else if (typeof v === "number") out[k] = String(v);
  }
  return out;
}

/**
 * react-hook-form + a server action, one zod schema on both sides. With JavaScript on, the
 * schema checks fields as the user types and the action is called in a transition; with
 * JavaScript off the browser posts the form to the same action and the server renders the
 * result (errors and the values typed) into the page.
 */
export function useActionForm<S extends zcore.$ZodType<FieldValues, FieldValues>, T>(
  schema: S,
  action: FormAction<T>,
  defaults: Record<string, string | boolean>,
  lifted?: LiftedAction,
) {
  const own = useActionState(action, null);
  const [state, formAction, pending] = lifted
    ? ([lifted.state as ActionResult<T> | null, lifted.formAction, lifted.pending] as const)
    : own;
  // A stale save keeps what was typed (echoed by the door, secrets excepted) with the version now
  // stored, so submitting again ("Use mine") saves it over the current values.
  const current = state && !state.ok && state.conflict ? scalars(state.current?.initial) : undefined;
  const echoed =
    state && !state.ok ? { ...state.values, ...(current?.version ? { version: current.version } : {}) } : undefined;
  const defaultValues = { ...defaults, ...echoed } as DefaultValues<zcore.input<S>>;
  const form = useForm<zcore.input<S>>({
    resolver: zodResolver(schema as never) as unknown as Resolver<zcore.input<S>>,
    defaultValues,
    mode: "onTouched",
  });
  const hydrated = useHydrated();

  useEffect(() => {
    if (state && !state.ok && state.fieldErrors) {
      for (const [name, messages] of Object.entries(state.fieldErrors)) {
        if (messages?.[0]) form.setError(name as Path<zcore.input<S>>, { type: "server", message: messages[0] });
      }
    }
  }, [state, form]);

  // After a save the server sends the section's values now stored, including its new version:
  // show them. After a stale save only the version changes: what was typed stays. Never keep a
  // typed secret (password, card number) around.
  useEffect(() => {
    if (!state) return;
    // Edit Profile's sections answer with `initial` (and a stale one with `current`); the console's
    // forms (staff, lawful register, policy draft, support settings) with `values`, which on a
    // stale save are the stored values to show again.
    const data = state.ok
      ? (state.data as { initial?: Record<string, unknown>; values?: Record<string, unknown> })
      : null;
    const stored = state.ok
      ? scalars(data?.initial ?? data?.values)
      : state.conflict
        ? state.current
          ? { version: String(scalars(state.current.initial)?.version ?? "") }
          : state.values
        : undefined;
    if (!stored && !state.ok) return;
    const next = { ...form.getValues(), ...stored } as Record<string, unknown>;
    for (const key of Object.keys(next)) if (isSecretField(key)) next[key] = "";
    form.reset(next as zcore.input<S>);
  }, [state, form]);

  /** With JavaScript: check the fields first, then post the form's own data to the action. */
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Read now: React clears currentTarget once the event has been dispatched, before validation ends.
    const formElement = event.currentTarget;
    return form.handleSubmit(() => {
      const data = new FormData(formElement);
      startTransition(() => formAction(data));
    })(event);
  }

  /** The error to show beside a field: the client's once hydrated, the server's before. */
  function errorFor(name: string): string | undefined {
    if (hydrated) {
      const err = (form.formState.errors as Record<string, { message?: string } | undefined>)[name];
      return err?.message;
    }
    return state && !state.ok ? state.fieldErrors?.[name]?.[0] : undefined;
  }

  return {
    form,
    state,
    pending,
    formAction,
    onSubmit,
    errorFor,
    defaultValues: defaultValues as Record<string, unknown>,
  };
}
