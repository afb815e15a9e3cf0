// What the widget remembers for this tab (sessionStorage): whether the panel is open, and the id of
// a closed chat the customer put away with "Start a new chat", so a reload does not bring it back.
// The conversation itself always comes from GET /api/chat/state.

const KEY = "myaccount:chat-widget";

export type WidgetMemory = { open: boolean; dismissed?: number };

export function readWidgetMemory(): WidgetMemory {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    const v: unknown = raw ? JSON.parse(raw) : null;
    if (v && typeof v === "object") {
      const m = v as Partial<WidgetMemory>;
      return { open: m.open === true, ...(typeof m.dismissed === "number" && { dismissed: m.dismissed }) };
    }
  } catch {
    // Storage blocked or a value from another version: start closed.
  }
  return { open: false };
}

export function writeWidgetMemory(patch: Partial<WidgetMemory>): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify({ ...readWidgetMemory(), ...patch }));
  } catch {
    // Private mode with storage off: the widget still works, it just forgets on reload.
  }
}
