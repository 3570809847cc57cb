/**
 * Sealed delivery: report files encrypted with keys held by XQ, so that only the named
 * recipients can open them.
 *
 * @module
 */

export {
  DEFAULT_SEAL_EXPIRES_HOURS,
  type NamedFile,
  prepareSeals,
  type Sealer,
  sealFile,
  sealFiles,
  type SealOptions,
  signInSender,
  unsealBytes,
  type XqOpener,
  type XqSealer,
} from "./seal.ts";
export {
  isSealed,
  parseSealed,
  plainName,
  SEALED_EXTENSION,
  sealedName,
  type SealedParts,
} from "./format.ts";
