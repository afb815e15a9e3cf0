import "server-only";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authSecret, transportKey } from "@/lib/env";
import { TRANSPORT_HEADER, readTransportStamp } from "@/lib/http/transport";
import { afterAnswer } from "@/lib/mail/later";
import { signInWithPasskey } from "@/lib/two-step/passkey-sign-in";
import { deviceCookie, setDeviceCookie } from "./known-device";
import { SESSION_MAX_AGE_SECONDS } from "./sessions";
import { verifyCredentials } from "./verify-credentials";

declare module "next-auth" {
  interface Session {
    /** Id of the row in `sessions`; checked on every request (see lib/auth/current.ts). */
    sid?: string;
  }
  interface User {
    sessionId?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

/**
 * Auth.js issues and reads the encrypted session cookie; it is not the source of truth for
 * whether a session is alive. The token only carries the session id, and lib/auth/current.ts
 * checks that id against the sessions table on every request, so revocation is immediate.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  // Host and protocol come from server.ts, which strips client-sent X-Forwarded-* headers unless
  // TRUST_PROXY names the proxy, so trusting the host here trusts only what server.ts decided.
  trustHost: true,
  // Set explicitly: the Secure cookie flag must not depend on a request header.
  useSecureCookies: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    error(error: Error) {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { identifier: {}, password: {} },
      async authorize(credentials, request) {
        const identifier = typeof credentials.identifier === "string" ? credentials.identifier : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        if (!identifier || !password || identifier.length > 254 || password.length > 128) return null;
        const stamp = readTransportStamp(transportKey(), request.headers.get(TRANSPORT_HEADER));
        const outcome = await verifyCredentials({
          identifier,
          password,
          ip: stamp?.clientIp ?? "",
          userAgent: request.headers.get("user-agent") ?? "",
          deviceCookie: await deviceCookie(),
          later: afterAnswer,
        });
        if (!outcome.ok) return null;
        // This browser is now a known device of the account: failures from elsewhere never slow it.
        await setDeviceCookie(outcome.deviceCookie);
        return { id: outcome.userId, sessionId: outcome.sessionId };
      },
    }),
    // "Sign in with a passkey" (app/login/actions.ts): the same cookie as a password sign-in, made
    // by Auth.js, for a session lib/two-step/passkey-sign-in.ts created after verifying the assertion.
    Credentials({
      id: "passkey",
      credentials: { response: {} },
      async authorize(credentials, request) {
        const json = typeof credentials.response === "string" ? credentials.response : "";
        if (!json || json.length > 20_000) return null;
        let response: unknown;
        try {
          response = JSON.parse(json);
        } catch {
          return null;
        }
        const stamp = readTransportStamp(transportKey(), request.headers.get(TRANSPORT_HEADER));
        const outcome = await signInWithPasskey(response, {
          ip: stamp?.clientIp ?? "",
          userAgent: request.headers.get("user-agent") ?? "",
          deviceCookie: await deviceCookie(),
        });
        if (!outcome.ok) return null;
        await setDeviceCookie(outcome.deviceCookie);
        return { id: outcome.userId, sessionId: outcome.sessionId };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.sessionId) token.sid = user.sessionId;
      // Keep personal data out of the cookie: the page reads names from the database.
      delete token.name;
      delete token.email;
      delete token.picture;
      return token;
    },
    session({ session, token }) {
      return { expires: session.expires, sid: token.sid };
    },
  },
}));
