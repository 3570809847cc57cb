/**
 * Shared secrets, written once for the report server and the sandbox: a comparison whose
 * time tells nothing about the secret, and fresh random secrets.
 *
 * @module
 */

import { createHash, timingSafeEqual as equalBytes } from "node:crypto";
import { encodeBase64 } from "./base64.ts";

/**
 * True when `a` equals `b`, in time that depends on neither where they differ nor their
 * lengths: both are hashed with SHA-256 and the equal-length digests compared with
 * `node:crypto`'s `timingSafeEqual`.
 *
 * @example
 * ```ts
 * timingSafeEqual("s3cret", "s3cret"); // true
 * timingSafeEqual("s3cret", "guess"); // false
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean {
  return equalBytes(sha256(a), sha256(b));
}

/**
 * A random URL-safe secret: 24 random bytes as base64url, 32 characters.
 *
 * @example
 * ```ts
 * const secret = randomSecret(); // e.g. "q3Vx…", 32 characters of A-Z a-z 0-9 - _
 * ```
 */
export function randomSecret(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(24)), { url: true });
}

function sha256(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf8").digest();
}
