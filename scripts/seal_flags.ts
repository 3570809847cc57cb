/**
 * `--seal-for` and `--seal-expires-hours` for `deno task charges`: parsing the flags, and
 * the `encode` hook of `exportReportsToFiles` that seals each rendered file in memory (so
 * the plain file never touches the disk), with every file's key registered in one XQ call.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { XqApi, type XqApiOptions } from "../client/xq/api.ts";
import { DEFAULT_SEAL_EXPIRES_HOURS, prepareSeals, signInSender } from "../reports/seal/seal.ts";

/** `parseArgs` options of the seal flags, to spread into a script's options. */
export const SEAL_OPTIONS = {
  "seal-for": { type: "string" },
  "seal-expires-hours": { type: "string" },
  "allow-alias": { type: "boolean" },
} as const;

/** Help lines of the seal flags. */
export const SEAL_HELP = `Sealed delivery (XQ; see deno task unseal --help):
  --seal-for LIST   write FILE.xqs sealed for these readers instead of plain files,
                    e.g. a@example.com,b@example.com (or xq.public)
  --allow-alias     also accept alias readers (ID@alias.local) in --seal-for: an alias
                    needs no PIN, so ANYONE holding the XQ API key who knows the alias
                    id can open the files
  --seal-expires-hours N
                    hours the readers can open the files (default ${DEFAULT_SEAL_EXPIRES_HOURS})
  Needs XQ_API_KEY (and XQ_SUBSCRIPTION_URL, XQ_VALIDATION_URL to leave the public hosts).`;

/** Checked seal flags: who may open the files and for how long. */
export interface SealRequest {
  /** Emails, `<id>@alias.local` or `xq.public`, without duplicates. */
  recipients: string[];
  /** Hours the keys stay readable. */
  expiresHours: number;
}

const RECIPIENT = /^(xq\.public|[^\s@,]+@[^\s@,]+)$/;

/** True for an XQ alias recipient (`<id>@alias.local`), which signs in without a PIN. */
export function isAliasRecipient(recipient: string): boolean {
  return /@alias\.local$/i.test(recipient.trim());
}

/**
 * Parses `--seal-for` and `--seal-expires-hours` (pass the script's parsed flags, `sandbox`
 * included); `undefined` when not sealing.
 *
 * @throws {UsageError} for an empty or malformed list, an alias reader (`…@alias.local`)
 * without `--allow-alias`, bad hours, hours without readers, `--store` (a report store holds
 * plain reports), or `--sandbox` (see {@link createSealEncoder}).
 */
export function parseSealFlags(
  values: {
    "seal-for"?: string;
    "seal-expires-hours"?: string;
    "allow-alias"?: boolean;
    sandbox?: boolean;
    store?: string;
  },
): SealRequest | undefined {
  const list = values["seal-for"];
  const hoursText = values["seal-expires-hours"];
  if (list === undefined) {
    if (hoursText !== undefined) {
      throw new UsageError(
        `--seal-expires-hours "${hoursText}" without --seal-for: name the readers, e.g. --seal-for a@example.com`,
      );
    }
    return undefined;
  }
  if (values.sandbox) throw sandboxRefusal();
  if (values.store !== undefined) {
    throw new UsageError(
      `--seal-for writes sealed files, it cannot be combined with --store "${values.store}": ` +
        `use --out-dir DIR with --seal-for`,
    );
  }
  const recipients = [...new Set(list.split(",").map((r) => r.trim()).filter(Boolean))];
  if (recipients.length === 0) {
    throw new UsageError(`Empty --seal-for "${list}": give emails, e.g. --seal-for a@example.com`);
  }
  for (const r of recipients) {
    if (!RECIPIENT.test(r)) {
      throw new UsageError(
        `Invalid reader "${r}" in --seal-for: use an email, <id>@alias.local or xq.public`,
      );
    }
    if (isAliasRecipient(r) && values["allow-alias"] !== true) {
      throw new UsageError(
        `Alias reader "${r}" in --seal-for: an alias signs in without a PIN, so anyone ` +
          `holding the XQ API key who knows the alias id could open the files; seal for ` +
          `email readers, or pass --allow-alias if that is what you want`,
      );
    }
  }
  let expiresHours = DEFAULT_SEAL_EXPIRES_HOURS;
  if (hoursText !== undefined) {
    expiresHours = Number(hoursText);
    if (!/^\d+$/.test(hoursText.trim()) || expiresHours < 1 || expiresHours > 8760) {
      throw new UsageError(
        `Invalid --seal-expires-hours "${hoursText}": give whole hours from 1 to 8760 (a year)`,
      );
    }
  }
  return { recipients, expiresHours };
}

/** The `encode` hook of `exportReportsToFiles`. */
export type EncodeFile = (
  bytes: Uint8Array,
  file: { name: string },
) => Promise<{ bytes: Uint8Array; name: string }>;

/** Options of {@link createSealEncoder}. */
export interface SealEncoderOptions {
  /** True when the export runs against the in-process sandbox (sealing is refused). */
  sandbox?: boolean;
  /** XQ client options (default: everything from the environment). */
  xq?: XqApiOptions;
}

/**
 * Signs in to XQ as a sender alias made for this run, registers `count` keys for the
 * request's readers in one `createAndStorePackets` call, and returns the hook that seals
 * each file as the export produces it (`name` becomes `name.xqs`).
 *
 * @throws {UsageError} with `sandbox`: the in-process sandbox's XQ ends with the run, so
 * nobody could ever open the files.
 */
export async function createSealEncoder(
  count: number,
  request: SealRequest,
  options: SealEncoderOptions = {},
): Promise<EncodeFile> {
  if (options.sandbox) throw sandboxRefusal();
  const xq = new XqApi(options.xq);
  await signInSender(xq);
  const sealer = await prepareSeals(count, xq, request);
  return async (bytes, file) => await sealer.seal({ name: file.name, bytes });
}

function sandboxRefusal(): UsageError {
  return new UsageError(
    "--seal-for cannot be used with --sandbox: that sandbox's XQ stops with this run, so " +
      "nobody could open the files; run `deno task sandbox`, set the SQUONK2_* and XQ_* " +
      "values it prints, and export without --sandbox",
  );
}
