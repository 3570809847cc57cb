/**
 * The sealed-file format (`.xqs`): a report encrypted with AES-256-GCM whose key is held by
 * XQ and found again through a locator token.
 *
 * Layout (all integers big-endian):
 *
 * | offset     | size | field                                                      |
 * |------------|------|------------------------------------------------------------|
 * | 0          | 8    | magic, ASCII `SQXQSEAL`                                    |
 * | 8          | 1    | format version, `1`                                        |
 * | 9          | 2    | `L`, byte length of the locator token (u16)                |
 * | 11         | L    | the XQ locator token, ASCII (43 characters for XQ)         |
 * | 11 + L     | 12   | AES-GCM IV (random per file)                               |
 * | 23 + L     | rest | AES-GCM ciphertext followed by its 16-byte tag             |
 *
 * The header (bytes `0 .. 23 + L`, IV included) is the AES-GCM additional data, so a flipped
 * bit anywhere in the file fails authentication. The key is 32 random bytes, stored in XQ as
 * the text `.1` + base64 (standard alphabet, padded): `.1` is the AES-GCM algorithm prefix
 * of the Python SDK, and XQ keys are strings (reference §4c).
 *
 * @module
 */

import { SealError, UsageError } from "../../client/errors.ts";
import { decodeBase64, encodeBase64 } from "../../client/base64.ts";

/** The first eight bytes of every sealed file. */
export const SEAL_MAGIC = "SQXQSEAL";
/** The format version this code writes and reads. */
export const SEAL_VERSION = 1;
/** Extension appended to a sealed file's name. */
export const SEALED_EXTENSION = ".xqs";
/** AES-GCM IV length in bytes. */
export const IV_LENGTH = 12;
/** AES-GCM tag length in bytes. */
export const TAG_LENGTH = 16;
/** Raw AES-256 key length in bytes. */
export const KEY_LENGTH = 32;
/** Algorithm prefix of the key text stored in XQ (Python SDK: `.1` is AES-GCM). */
export const KEY_PREFIX = ".1";

const MAGIC_BYTES = new TextEncoder().encode(SEAL_MAGIC);
const FIXED = MAGIC_BYTES.length + 1 + 2; // magic, version, locator length

/** The parts of a sealed file. */
export interface SealedParts {
  /** Format version (1). */
  version: number;
  /** The XQ locator token of the file's key. */
  locator: string;
  /** The 12-byte AES-GCM IV. */
  iv: Uint8Array;
  /** Bytes `0 .. 23 + L`: the AES-GCM additional data. */
  header: Uint8Array;
  /** Ciphertext with its tag. */
  ciphertext: Uint8Array;
}

/** Builds the header (the additional data) for `locator` and `iv`. */
export function encodeHeader(locator: string, iv: Uint8Array): Uint8Array {
  const token = new TextEncoder().encode(locator);
  if (token.length === 0 || token.length > 0xffff || !/^[\x21-\x7e]+$/.test(locator)) {
    // The token itself is not shown: it opens the key.
    throw new SealError(
      "Invalid locator token from XQ: expected 1 to 65535 printable ASCII characters",
    );
  }
  if (iv.length !== IV_LENGTH) throw new SealError(`Invalid IV length ${iv.length}: expected 12`);
  const header = new Uint8Array(FIXED + token.length + IV_LENGTH);
  header.set(MAGIC_BYTES, 0);
  header[8] = SEAL_VERSION;
  new DataView(header.buffer).setUint16(9, token.length);
  header.set(token, FIXED);
  header.set(iv, FIXED + token.length);
  return header;
}

/** True when `bytes` start with the sealed-file magic. */
export function isSealed(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC_BYTES.length && MAGIC_BYTES.every((b, i) => bytes[i] === b);
}

/**
 * Splits a sealed file into its parts. A file without the magic, or of a newer version, is
 * a {@link UsageError} (bad input, exit 2); a sealed file cut short or with a broken header
 * is a {@link SealError} (damaged, exit 1). `name` is only used in messages.
 */
export function parseSealed(bytes: Uint8Array, name = "input"): SealedParts {
  if (!isSealed(bytes)) {
    throw new UsageError(
      `"${name}" is not a sealed file (no ${SEAL_MAGIC} header): pass a ${SEALED_EXTENSION} file made by --seal-for`,
    );
  }
  const version = bytes[8];
  if (version !== SEAL_VERSION) {
    throw new UsageError(
      `"${name}" uses sealed-file version ${version}, this tool reads version ${SEAL_VERSION}: update squonk2-billing`,
    );
  }
  const damaged = (what: string) =>
    new SealError(
      `Sealed file "${name}" is damaged (${what}): nothing was written; get a fresh copy`,
    );
  if (bytes.length < FIXED) throw damaged("header cut short");
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(9);
  const ivAt = FIXED + length;
  if (length === 0 || bytes.length < ivAt + IV_LENGTH + TAG_LENGTH) throw damaged("file cut short");
  const locator = new TextDecoder().decode(bytes.subarray(FIXED, ivAt));
  if (!/^[\x21-\x7e]+$/.test(locator)) throw damaged("locator token is not printable");
  return {
    version,
    locator,
    iv: bytes.slice(ivAt, ivAt + IV_LENGTH),
    header: bytes.slice(0, ivAt + IV_LENGTH),
    ciphertext: bytes.slice(ivAt + IV_LENGTH),
  };
}

/** Joins a header and ciphertext into the bytes of a sealed file. */
export function joinSealed(header: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.length + ciphertext.length);
  out.set(header, 0);
  out.set(ciphertext, header.length);
  return out;
}

/** The key text stored in XQ for raw key bytes: `.1` + base64. */
export function encodeKey(raw: Uint8Array): string {
  return KEY_PREFIX + encodeBase64(raw);
}

/**
 * Raw key bytes from the key text XQ returns. Accepts the text with its `.1` prefix (Python
 * keeps it) or without (JAVA/JS strip two characters); anything else is a {@link SealError}.
 */
export function decodeKey(text: string): Uint8Array {
  const body = text.trim().startsWith(".") ? text.trim().slice(2) : text.trim();
  if (text.trim().startsWith(".") && !text.trim().startsWith(KEY_PREFIX)) {
    throw new SealError(
      "The key from XQ is not an AES-GCM key (prefix is not .1): it belongs to another tool",
    );
  }
  let raw: Uint8Array;
  try {
    raw = decodeBase64(body);
  } catch {
    throw new SealError("The key from XQ is not base64: it belongs to another tool");
  }
  if (raw.length !== KEY_LENGTH) {
    throw new SealError(
      `The key from XQ has ${raw.length} bytes, expected ${KEY_LENGTH}: it belongs to another tool`,
    );
  }
  return raw;
}

/** `name` with the sealed extension appended. */
export function sealedName(name: string): string {
  return name + SEALED_EXTENSION;
}

/** The plain name of a sealed file: the extension removed, or `.plain` added without one. */
export function plainName(name: string): string {
  return name.endsWith(SEALED_EXTENSION)
    ? name.slice(0, -SEALED_EXTENSION.length)
    : `${name}.plain`;
}
