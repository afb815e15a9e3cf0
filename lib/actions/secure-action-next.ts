export { secureAction } from "./secure-action"; // Temporary old path, until app/console and lib/preferences import ./secure-action.
