/**
 * Authenticator codes for the e2e tests, computed from a known secret like an authenticator app
 * does (RFC 6238 via otpauth). The app accepts each 30-second step once per account, so a test
 * that signs in twice as the same account within one step must wait for the next one.
 */
import { createCipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { messages } from "../../lib/messages";
import { testDb } from "./users";

const PERIOD_MS = 30_000;

export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: at,
  });
}

const stepOf = (at: number) => Math.floor(at / PERIOD_MS);
/** The last step this process used per account (workers are processes: enterSecondStep retries). */
const lastStep = new Map<string, number>();

/** A code for a step this process has not used for `account` yet, waiting for the next step if needed. */
export async function freshTotpCode(secret: string, account: string): Promise<string> {
  let now = Date.now();
  const used = lastStep.get(account);
  if (used !== undefined && stepOf(now) <= used) {
    await new Promise((r) => setTimeout(r, (used + 1) * PERIOD_MS - now + 50));
    now = Date.now();
  }
  lastStep.set(account, stepOf(now));
  return totpCode(secret, now);
}

/** Marks the current step used for `account` (another process used it): the next code waits. */
function markStepUsed(account: string) {
  lastStep.set(account, Math.max(lastStep.get(account) ?? 0, stepOf(Date.now())));
}

/**
 * On /login/verify: enters a code and waits until the browser has left the page. If the page says
 * the code was already used (another worker signed in as this account in this step), waits for
 * the next step and tries once more.
 */
export async function enterSecondStep(page: Page, secret: string, account: string): Promise<void> {
  await expect(page).toHaveURL(/\/login\/verify/);
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.getByLabel("6-digit code", { exact: true }).fill(await freshTotpCode(secret, account));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    const used = page.locator("#code-message").getByText(messages.twoStepCodeUsed);
    // Whichever comes first; the other is settled too, so no promise is left to reject later.
    const outcome = await Promise.race([
      expect(page)
        .not.toHaveURL(/\/login\/verify/, { timeout: 15_000 })
        .then(
          () => "left" as const,
          () => "timeout" as const,
        ),
      used.waitFor({ timeout: 15_000 }).then(
        () => "used" as const,
        () => "timeout" as const,
      ),
    ]);
    if (outcome === "left") return;
    if (outcome === "timeout") break;
    markStepUsed(account);
  }
  await expect(page).not.toHaveURL(/\/login\/verify/);
}

// The e2e server's DATA_ENCRYPTION_KEY (e2e/support/app-server.ts): 32 bytes of 9s. Sealed here as
// lib/crypto/secret-box.ts seals it, with the AAD lib/two-step/secret.ts uses.
const DATA_ENCRYPTION_KEY = Buffer.alloc(32, 9);

function sealTotpSecret(userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", DATA_ENCRYPTION_KEY, iv);
  cipher.setAAD(Buffer.from(`authenticator:${userId}`));
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** A fresh random base32 secret, as enrolment makes. */
export function randomTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** Gives a user a switched-on authenticator app without the UI; returns its secret. */
export async function insertAuthenticator(userId: string, secret = randomTotpSecret()): Promise<string> {
  await testDb().query(
    `insert into authenticator_apps (user_id, secret_box, confirmed_at) values ($1, $2, now())
     on conflict (user_id) do update set secret_box = excluded.secret_box, confirmed_at = now(), last_used_step = null`,
    [userId, sealTotpSecret(userId, secret)],
  );
  return secret;
}

const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Gives a user ten recovery codes (stored as lib/two-step/recovery-codes.ts stores them); returns them. */
export async function insertRecoveryCodes(userId: string): Promise<string[]> {
  const codes = Array.from({ length: 10 }, () =>
    Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(""),
  );
  const db = testDb();
  await db.query(`delete from recovery_codes where user_id = $1`, [userId]);
  for (const code of codes) {
    await db.query(`insert into recovery_codes (user_id, code_hash) values ($1, $2)`, [
      userId,
      createHash("sha256").update(code).digest("hex"),
    ]);
  }
  return codes.map((c) => `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`);
}
