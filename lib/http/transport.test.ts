import { describe, expect, it } from "vitest";
import { readTransportStamp, resolveTransport, transportStamp } from "./transport";

describe("transport", () => {
  it("transport: plain HTTP with a spoofed X-Forwarded-Proto stays http when the peer is not trusted", () => {
    const t = resolveTransport({
      socketEncrypted: false,
      socketPeer: "203.0.113.9",
      headers: {
        host: "localhost:3080",
        "x-forwarded-proto": "https",
        "x-forwarded-for": "10.0.0.1",
        "x-forwarded-host": "evil.example",
      },
      trustProxy: [],
    });
    expect(t).toEqual({ proto: "http", clientIp: "203.0.113.9", host: "localhost:3080", viaTrustedProxy: false });
  });

  it("transport: HTTPS socket is https whatever the client claims", () => {
    const t = resolveTransport({
      socketEncrypted: true,
      socketPeer: "::ffff:127.0.0.1",
      headers: { host: "localhost:3000", "x-forwarded-proto": "http" },
      trustProxy: ["10.9.9.9"],
    });
    expect(t.proto).toBe("https");
    expect(t.clientIp).toBe("127.0.0.1");
  });

  it("transport: a trusted proxy's forwarded protocol, host and client address are believed", () => {
    const t = resolveTransport({
      socketEncrypted: false,
      socketPeer: "10.0.0.2",
      headers: {
        host: "app:3080",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "myaccount.example",
        "x-forwarded-for": "198.51.100.7",
      },
      trustProxy: ["10.0.0.2"],
    });
    expect(t).toEqual({ proto: "https", clientIp: "198.51.100.7", host: "myaccount.example", viaTrustedProxy: true });
  });

  it("transport: a client-forged left-most X-Forwarded-For entry is not taken as the client", () => {
    const t = resolveTransport({
      socketEncrypted: false,
      socketPeer: "10.0.0.2",
      headers: { host: "app", "x-forwarded-proto": "https", "x-forwarded-for": "1.2.3.4, 198.51.100.7, 10.0.0.3" },
      trustProxy: ["10.0.0.2", "10.0.0.3"],
    });
    expect(t.clientIp).toBe("198.51.100.7");
  });

  it("transport: behind an appending proxy, a client-sent X-Forwarded-Proto on the left is not believed", () => {
    const t = resolveTransport({
      socketEncrypted: false,
      socketPeer: "10.0.0.2",
      headers: {
        host: "app",
        "x-forwarded-proto": "https, http",
        "x-forwarded-host": "evil.example, myaccount.example",
      },
      trustProxy: ["10.0.0.2"],
    });
    expect(t.proto).toBe("http");
    expect(t.host).toBe("myaccount.example");
  });

  it("transport: the stamp is only read back with the process key", () => {
    const stamp = transportStamp("k3y", { proto: "https", clientIp: "::1", host: "x", viaTrustedProxy: false });
    expect(readTransportStamp("k3y", stamp)).toEqual({ proto: "https", clientIp: "::1" });
    expect(readTransportStamp("other", stamp)).toBeNull();
    expect(readTransportStamp(undefined, stamp)).toBeNull();
    expect(readTransportStamp("k3y", "k3y;ftp;1.1.1.1")).toBeNull();
  });
});
