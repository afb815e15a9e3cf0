import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

/**
 * A software WebAuthn authenticator for integration tests and the bench: one ES256 (P-256) key,
 * "none" attestation, real signatures that @simplewebauthn verifies. It answers whatever it is
 * asked (it does not check allowCredentials or the RP), so tests can show the server refusing.
 */
export type SoftAuthenticator = {
  /** base64url, as a browser reports it. */
  credentialId: string;
  /** The user handle (base64url) the registration options named; sent back by assert(). */
  readonly userHandle: string | null;
  /** The signature counter the next assertion will carry minus one. */
  readonly signCount: number;
  register(options: PublicKeyCredentialCreationOptionsJSON, origin: string): RegistrationResponseJSON;
  assert(
    options: PublicKeyCredentialRequestOptionsJSON,
    origin: string,
    opts?: {
      /** Sign this counter instead of the next one (a cloned authenticator replays an old one). */
      signCount?: number;
      /** Defaults to the handle from register(); null leaves it out. */
      userHandle?: string | null;
      /** Defaults to options.rpId, else the RP ID of register(). */
      rpId?: string;
      userVerified?: boolean;
    },
  ): AuthenticationResponseJSON;
};

// ---- the little CBOR the attestation object and COSE key need (RFC 8949, definite lengths) ----

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const text = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function sha256(data: Buffer | string): Buffer {
  return createHash("sha256").update(data).digest();
}

function clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function authData(rpId: string, flags: number, signCount: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(signCount >>> 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
}

function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  return cbor(
    new Map<number, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]),
  );
}

export function createSoftAuthenticator(): SoftAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const rawId = randomBytes(32);
  const credentialId = rawId.toString("base64url");
  let userHandle: string | null = null;
  let rpIdOfRegistration: string | null = null;
  let signCount = 0;

  return {
    credentialId,
    get userHandle() {
      return userHandle;
    },
    get signCount() {
      return signCount;
    },
    register(options, origin) {
      const rpId = options.rp.id ?? new URL(origin).hostname;
      rpIdOfRegistration = rpId;
      userHandle = options.user.id;
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(rawId.length);
      // attestedCredentialData: AAGUID (zeros: no attestation) | credential id length | id | COSE key
      const attested = Buffer.concat([Buffer.alloc(16), idLength, rawId, coseKey(publicKey)]);
      const data = authData(rpId, FLAG_UP | FLAG_UV | FLAG_AT, signCount, attested);
      const attestationObject = cbor(
        new Map<string, Cbor>([
          ["fmt", "none"],
          ["attStmt", new Map()],
          ["authData", data],
        ]),
      );
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key",
        response: {
          clientDataJSON: clientData("webauthn.create", options.challenge, origin).toString("base64url"),
          attestationObject: attestationObject.toString("base64url"),
          transports: ["internal"],
        },
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
      };
    },
    assert(options, origin, opts = {}) {
      const rpId = opts.rpId ?? options.rpId ?? rpIdOfRegistration ?? new URL(origin).hostname;
      const count = opts.signCount ?? ++signCount;
      const flags = FLAG_UP | (opts.userVerified === false ? 0 : FLAG_UV);
      const data = authData(rpId, flags, count);
      const client = clientData("webauthn.get", options.challenge, origin);
      // ECDSA over authenticatorData || SHA-256(clientDataJSON); node signs EC keys in DER, as WebAuthn wants.
      const signature = sign("sha256", Buffer.concat([data, sha256(client)]), privateKey);
      const handle = opts.userHandle === undefined ? userHandle : opts.userHandle;
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key",
        response: {
          clientDataJSON: client.toString("base64url"),
          authenticatorData: data.toString("base64url"),
          signature: signature.toString("base64url"),
          ...(handle ? { userHandle: handle } : {}),
        },
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
      };
    },
  };
}
