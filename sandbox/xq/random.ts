/**
 * Deterministic randomness for the XQ simulator: PINs, pre-auth and access tokens, packets
 * and locator tokens all come from one seeded generator, so a sandbox started with the same
 * seed hands out the same values in the same order (handy for demos and bug reports).
 *
 * This is a simulator: the generator is NOT cryptographically secure, and nothing outside
 * `sandbox/` may use it.
 *
 * @module
 */

import { encodeBase64 } from "../../client/base64.ts";

/** A seeded source of bytes, PINs and tokens. */
export interface SandboxRandom {
  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array;
  /** A six-digit PIN, as a string that may start with zeros. */
  pin(): string;
  /**
   * A 43-character locator token: 32 bytes in standard base64 without padding, so it may
   * contain `+` and `/` (the reference says tokens can hold URL-special characters).
   */
  locator(): string;
  /** A JWT-shaped opaque token whose payload carries `claims` (not signed: the sandbox keeps it). */
  jwt(claims: Record<string, unknown>): string;
}

/** Creates a generator from `seed` (any integer; the same seed gives the same sequence). */
export function createSandboxRandom(seed: number): SandboxRandom {
  // splitmix32: tiny, fast and good enough to make simulator values look random.
  let state = (Math.trunc(seed) ^ 0x5851f42d) >>> 0;
  function next(): number {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  function bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = next();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }
  return {
    bytes,
    pin: () => String(next() % 1_000_000).padStart(6, "0"),
    locator: () => encodeBase64(bytes(32), { pad: false }),
    jwt(claims) {
      const header = base64Url(
        new TextEncoder().encode(JSON.stringify({ alg: "HS256", typ: "JWT" })),
      );
      const payload = base64Url(new TextEncoder().encode(JSON.stringify(claims)));
      return `${header}.${payload}.${base64Url(bytes(32))}`;
    },
  };
}

/** base64url without padding. */
function base64Url(data: Uint8Array): string {
  return encodeBase64(data, { url: true });
}
