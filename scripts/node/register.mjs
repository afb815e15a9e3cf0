/**
 * The one `--import` for every plain-Node entry point (server.ts, migrations, seed, bench, the test
 * and e2e launchers): TypeScript through tsx, and the `server-only` marker package resolved to an
 * empty module. Server modules of lib/ and db/client.ts `import "server-only"` so that a client
 * component importing them fails the Next build; outside Next's server bundle nothing sets the
 * `react-server` condition that makes the marker inert, so without this hook it would throw.
 *
 *   node --import ./scripts/node/register.mjs server.ts
 */
import { register } from "node:module";
import { register as registerTsx } from "tsx/esm/api";

registerTsx();
register("./server-only-hooks.mjs", import.meta.url);
