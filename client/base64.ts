/**
 * Base64 and base64url, written once for the whole package (JWT parts, random secrets,
 * sealed-file keys, the sandbox's tokens).
 *
 * Built on `btoa`/`atob` rather than `Uint8Array.prototype.toBase64`/`Uint8Array.fromBase64`:
 * those are newer than the Deno that Deno Deploy runs (2.5, whose TypeScript library does not
 * declare them), and the scheduled job must type-check and run there.
 *
 * @module
 */

/** Options of {@link encodeBase64} and {@link decodeBase64}. */
export interface Base64Options {
  /** Use the URL-safe alphabet (`-` and `_` for `+` and `/`). @default false */
  url?: boolean;
  /** Pad the encoding with `=` to a multiple of 4 characters. @default !url */
  pad?: boolean;
}

/** Encodes `bytes` as base64 (or base64url with `url: true`, unpadded unless `pad: true`). */
export function encodeBase64(bytes: Uint8Array, options: Base64Options = {}): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short for large inputs.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  let text = btoa(binary);
  if (options.url) text = text.replaceAll("+", "-").replaceAll("/", "_");
  if (!(options.pad ?? !options.url)) text = text.replace(/=+$/, "");
  return text;
}

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Decodes base64 (or base64url with `url: true`), padded or not.
 *
 * @throws {SyntaxError} when `text` uses characters outside the alphabet (e.g. `+` in
 *   base64url), has white space, or has an impossible length.
 */
export function decodeBase64(
  text: string,
  options: Pick<Base64Options, "url"> = {},
): Uint8Array<ArrayBuffer> {
  const body = text.replace(/=+$/, "");
  const padded = body.length !== text.length;
  if (
    !(options.url ? URL_SAFE : STANDARD).test(text) || body.length % 4 === 1 ||
    (padded && text.length % 4 !== 0)
  ) {
    throw new SyntaxError(`Not ${options.url ? "base64url" : "base64"} text`);
  }
  const standard = options.url ? body.replaceAll("-", "+").replaceAll("_", "/") : body;
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "="));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
