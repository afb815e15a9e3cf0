/**
 * `npm run licences`: fails when a runtime dependency (anything in package-lock.json not marked
 * `dev`) is licensed under a strong copyleft licence — AGPL, GPL or SSPL — or declares no licence.
 *
 * The product is deployed by a telecom that must not be obliged to publish its code. LGPL stays
 * allowed: it covers only dynamically linked libraries (sharp's optional libvips binaries), not
 * this app. An SPDX expression passes when one `OR` alternative passes and all its `AND` parts do.
 */
import { readFileSync } from "node:fs";

type LockPackage = { license?: string; dev?: boolean; version?: string };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockPackage> };

const copyleft = /^(A?GPL|SSPL)(-|$)/i;

function licenceAllowed(expression: string): boolean {
  const alternatives = expression.replace(/[()]/g, " ").split(/\s+OR\s+/i);
  return alternatives.some((alt) =>
    alt
      .split(/\s+AND\s+/i)
      .map((id) => id.trim())
      .every((id) => id !== "" && !copyleft.test(id)),
  );
}

const refused: string[] = [];
let checked = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
  if (where === "" || pkg.dev) continue;
  checked++;
  const name = where.replace(/^.*node_modules\//, "");
  if (!pkg.license) refused.push(`${name}@${pkg.version}: no licence declared`);
  else if (!licenceAllowed(pkg.license)) refused.push(`${name}@${pkg.version}: ${pkg.license}`);
}

if (refused.length) {
  console.error(`Runtime dependencies with a copyleft or missing licence:\n  ${refused.join("\n  ")}`);
  process.exit(1);
}
console.log(`Licences: ${checked} runtime packages, none AGPL, GPL, SSPL or unlicensed.`);
