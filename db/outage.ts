// Temporary: the old path, until lib/auth/current.ts imports db/availability.
export { DatabaseUnavailableError, noteDatabaseError, noteDatabaseUp } from "./availability";
