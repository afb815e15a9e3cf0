/**
 * Prints, as JSON, the export's SELECT for a topic exactly as the app builds it
 * (lib/marketing/export.ts) and the session setup it needs, so bench/run.ts can time
 * `psql \copy` on the same query. Run with the server's environment: the unsubscribe URLs inside
 * depend on UNSUBSCRIBE_SECRET / AUTH_SECRET, APP_URL / PORT and today's date.
 *
 *   AUTH_SECRET=… PORT=… node --import tsx bench/export-select.ts offers
 *   → {"select": "select …", "setup": "set myaccount.unsub_ipad = '…'; …" }
 */
import { exportSelect } from "@/lib/marketing/export";
import { sqlHmacKeys } from "@/lib/preferences/tokens";

const select = exportSelect(process.argv[2] ?? "offers");
// The app puts the HMAC pads into session settings before its COPY (so no key material is in the
// statement text); psql's session needs the same.
const { ipadHex, opadHex } = sqlHmacKeys();
const setup = [
  ["myaccount.unsub_ipad", ipadHex],
  ["myaccount.unsub_opad", opadHex],
]
  .filter(([name]) => select.includes(`'${name}'`))
  .map(([name, hex]) => `set ${name} = '${hex}'`)
  .join("; ");
process.stdout.write(JSON.stringify({ select, setup }));
