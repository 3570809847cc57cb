/**
 * Sealed report delivery: files are encrypted in memory with AES-256-GCM (WebCrypto) under
 * a fresh random key per file, the keys are handed to XQ for the chosen recipients and
 * lifetime, and each sealed file carries the locator token that finds its key again (format:
 * {@link ./format.ts}). Only listed recipients (and the sender) can fetch the key, and
 * only until it expires.
 *
 * @example
 * ```ts
 * import { XqApi } from "@squonk2/billing/client";
 * import { sealFiles, signInSender } from "@squonk2/billing/reports";
 *
 * const xq = new XqApi(); // XQ_API_KEY from the environment
 * await signInSender(xq);
 * const bytes = await Deno.readFile("reports-out/charges.csv");
 * const sealed = await sealFiles([{ name: "charges.csv", bytes }], xq, {
 *   recipients: ["finance@example.com"],
 * });
 * await Deno.writeFile(`reports-out/${sealed[0].name}`, sealed[0].bytes); // charges.csv.xqs
 * ```
 *
 * @module
 */

import { SealError, UsageError, XqError } from "../../client/errors.ts";
import type { XqApi } from "../../client/xq/api.ts";
import {
  decodeKey,
  encodeHeader,
  encodeKey,
  IV_LENGTH,
  joinSealed,
  KEY_LENGTH,
  parseSealed,
  sealedName,
} from "./format.ts";

export { isSealed, parseSealed, plainName, SEALED_EXTENSION, sealedName } from "./format.ts";

/** A file in memory. */
export interface NamedFile {
  /** File name without directory, e.g. `charges.csv`. */
  name: string;
  /** The whole content. */
  bytes: Uint8Array;
}

/** The XQ calls sealing needs (an authenticated {@link XqApi} provides them). */
export type XqSealer = Pick<XqApi, "createAndStorePacket" | "createAndStorePackets">;
/** The XQ call unsealing needs (an authenticated {@link XqApi} provides it). */
export type XqOpener = Pick<XqApi, "fetchKey">;

/**
 * The default lifetime of a sealed file's key: one week. The XQ SDK default is 24 hours,
 * but a finance reader who gets a monthly report on a Friday expects to open it on Monday.
 */
export const DEFAULT_SEAL_EXPIRES_HOURS = 168;

/** Options of {@link sealFile} and {@link sealFiles}. */
export interface SealOptions {
  /** Who may open the files: emails, `<id>@alias.local`, or `xq.public`. */
  recipients: readonly string[];
  /** Hours the keys stay readable (default {@link DEFAULT_SEAL_EXPIRES_HOURS}). */
  expiresHours?: number;
  /** Subject logged with the packets in the XQ dashboard. */
  subject?: string;
}

interface Encrypted {
  raw: Uint8Array;
  iv: Uint8Array;
}

/** Seals one file with one `createAndStorePacket` call; returns `<name>.xqs` and its bytes. */
export async function sealFile(
  file: NamedFile,
  xq: XqSealer,
  options: SealOptions,
): Promise<NamedFile> {
  const recipients = checkRecipients(options.recipients);
  const secret = freshSecret();
  const locator = await xq.createAndStorePacket(recipients, encodeKey(secret.raw), {
    expiresHours: options.expiresHours ?? DEFAULT_SEAL_EXPIRES_HOURS,
    subject: options.subject ?? `Sealed report ${file.name}`,
    type: 1, // file (C SDK Metadata_File)
  });
  return { name: sealedName(file.name), bytes: await encrypt(file.bytes, locator, secret) };
}

/** Seals files with keys registered in XQ beforehand; see {@link prepareSeals}. */
export interface Sealer {
  /** Encrypts `file` under the next prepared key; returns `<name>.xqs` and its bytes. */
  seal(file: NamedFile): Promise<NamedFile>;
  /** Prepared keys not used yet. */
  readonly remaining: number;
}

/**
 * Registers `count` fresh keys with XQ in one `createAndStorePackets` call (same recipients
 * and lifetime), then seals files one at a time as they are produced: an export can render
 * and seal each file in memory and never hold a plain file on disk. Keys left unused (an
 * export that failed half-way) simply expire.
 */
export async function prepareSeals(
  count: number,
  xq: XqSealer,
  options: SealOptions,
): Promise<Sealer> {
  if (!Number.isInteger(count) || count < 1) {
    throw new UsageError(`Invalid number of files to seal "${count}": expected 1 or more`);
  }
  const recipients = checkRecipients(options.recipients);
  const secrets = Array.from({ length: count }, () => freshSecret());
  const locators = await xq.createAndStorePackets(
    recipients,
    secrets.map((s) => encodeKey(s.raw)),
    {
      expiresHours: options.expiresHours ?? DEFAULT_SEAL_EXPIRES_HOURS,
      subject: options.subject ?? `squonk2-billing sealed export of ${count} file(s)`,
      meta: `squonk2-billing sealed export of ${count} file(s)`,
    },
  );
  if (locators.length !== count) {
    throw new SealError(
      `XQ returned ${locators.length} locator tokens for ${count} files: nothing was sealed; try again`,
    );
  }
  let next = 0;
  return {
    get remaining() {
      return count - next;
    },
    async seal(file) {
      if (next >= count) {
        throw new SealError(
          `All ${count} prepared keys are used: prepare one key per file to seal "${file.name}"`,
        );
      }
      const i = next++;
      return {
        name: sealedName(file.name),
        bytes: await encrypt(file.bytes, locators[i], secrets[i]),
      };
    },
  };
}

/**
 * Seals several files of one export with a single `createAndStorePackets` call (one key per
 * file, same recipients and lifetime). Returns the sealed files in input order.
 */
export async function sealFiles(
  files: readonly NamedFile[],
  xq: XqSealer,
  options: SealOptions,
): Promise<NamedFile[]> {
  if (files.length === 0) return [];
  const names = files.map((f) => f.name).join(", ");
  const sealer = await prepareSeals(files.length, xq, {
    ...options,
    subject: options.subject ?? `Sealed reports ${names}`,
  });
  const out: NamedFile[] = [];
  for (const file of files) out.push(await sealer.seal(file));
  return out;
}

/**
 * Signs `xq` in as a sender alias made for this run (`squonk2-billing-<random>`). XQ lets
 * a key's sender fetch it, and an alias needs no secret beyond the API key, so a fixed
 * sender alias would let anyone holding the API key open every sealed report; a random
 * one per run keeps reading to the listed recipients. Resolves to the alias used.
 */
export async function signInSender(xq: Pick<XqApi, "authorizeAlias">): Promise<string> {
  const alias = `squonk2-billing-${crypto.randomUUID()}`;
  await xq.authorizeAlias(alias, { firstName: "squonk2-billing", lastName: "sealed reports" });
  return alias;
}

/**
 * Opens a sealed file: fetches its key from XQ as the reader `xq` is signed in as, then
 * decrypts and authenticates. Throws {@link UsageError} for a file that is not sealed,
 * {@link SealError} for a damaged or tampered one, and the XQ client's `XqError` when the key
 * is refused (not a recipient), expired or unknown. `name` is only used in messages.
 */
export async function unsealBytes(
  sealed: Uint8Array,
  xq: XqOpener,
  options: { name?: string } = {},
): Promise<Uint8Array> {
  const name = options.name ?? "input";
  const parts = parseSealed(sealed, name);
  let keyText: string;
  try {
    keyText = await xq.fetchKey(parts.locator);
  } catch (error) {
    if (!(error instanceof XqError)) throw error;
    throw new XqError(`Cannot open "${name}": ${error.message}`, {
      status: error.status,
      method: error.method,
      url: error.url,
      serverMessage: error.serverMessage,
      cause: error,
    });
  }
  const raw = decodeKey(keyText);
  const key = await crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, [
    "decrypt",
  ]);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: parts.iv as BufferSource,
        additionalData: parts.header as BufferSource,
      },
      key,
      parts.ciphertext as BufferSource,
    );
    return new Uint8Array(plain);
  } catch (error) {
    throw new SealError(
      `Sealed file "${name}" failed authentication: it was modified or damaged after sealing; ` +
        `nothing was written, get a fresh copy from the sender`,
      { cause: error },
    );
  }
}

function checkRecipients(recipients: readonly string[]): string[] {
  const list = recipients.map((r) => r.trim()).filter(Boolean);
  if (list.length === 0) {
    throw new UsageError(
      "No recipients to seal for: pass --seal-for with at least one email, e.g. a@example.com",
    );
  }
  return list;
}

function freshSecret(): Encrypted {
  return {
    raw: crypto.getRandomValues(new Uint8Array(KEY_LENGTH)),
    iv: crypto.getRandomValues(new Uint8Array(IV_LENGTH)),
  };
}

async function encrypt(bytes: Uint8Array, locator: string, secret: Encrypted): Promise<Uint8Array> {
  const header = encodeHeader(locator, secret.iv);
  const key = await crypto.subtle.importKey("raw", secret.raw as BufferSource, "AES-GCM", false, [
    "encrypt",
  ]);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: secret.iv as BufferSource, additionalData: header as BufferSource },
    key,
    bytes as BufferSource,
  );
  return joinSealed(header, new Uint8Array(ciphertext));
}
