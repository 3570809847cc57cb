/**
 * RS256 JSON Web Tokens for the sandbox's Keycloak: a signing key pair generated with
 * WebCrypto at start, its public JWK (for the JWKS document) and SPKI form (for the realm
 * document's `public_key`), signing and signature verification.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "../../client/base64.ts";

/** The public half of the signing key as a JWK, as Keycloak lists it in its JWKS. */
export interface PublicJwk {
  /** Key id, repeated in every token header. */
  kid: string;
  /** Always "RSA". */
  kty: "RSA";
  /** Always "RS256". */
  alg: "RS256";
  /** Always "sig". */
  use: "sig";
  /** Modulus, base64url. */
  n: string;
  /** Public exponent, base64url. */
  e: string;
}

/** A signing key pair with the forms of its public half that Keycloak publishes. */
export interface SigningKey {
  /** Key id (`kid`). */
  kid: string;
  /** The private key: signs tokens. */
  privateKey: CryptoKey;
  /** The public key: verifies tokens. */
  publicKey: CryptoKey;
  /** The public key as a JWK for `/protocol/openid-connect/certs`. */
  jwk: PublicJwk;
  /** The public key as base64 DER SubjectPublicKeyInfo (Keycloak's realm `public_key`). */
  spkiBase64: string;
}

/** A decoded JWT whose signature has been checked. */
export interface VerifiedJwt {
  /** The protected header. */
  header: Record<string, unknown>;
  /** The claims. */
  payload: Record<string, unknown>;
}

const ALGORITHM: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

/** JWT parts are base64url without padding. */
const BASE64URL = { url: true } as const;

/** Generates a fresh 2048-bit RS256 key pair with a random key id. */
export async function generateSigningKey(): Promise<SigningKey> {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );
  const kid = encodeBase64(crypto.getRandomValues(new Uint8Array(16)), BASE64URL);
  const exported = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  return {
    kid,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    jwk: { kid, kty: "RSA", alg: "RS256", use: "sig", n: exported.n!, e: exported.e! },
    spkiBase64: encodeBase64(spki),
  };
}

/** Signs `payload` as a compact RS256 JWT whose header names the key's `kid`. */
export async function signJwt(key: SigningKey, payload: Record<string, unknown>): Promise<string> {
  const encoder = new TextEncoder();
  const header = { alg: "RS256", typ: "JWT", kid: key.kid };
  const input = `${encodeBase64(encoder.encode(JSON.stringify(header)), BASE64URL)}.${
    encodeBase64(encoder.encode(JSON.stringify(payload)), BASE64URL)
  }`;
  const signature = await crypto.subtle.sign(ALGORITHM, key.privateKey, encoder.encode(input));
  return `${input}.${encodeBase64(new Uint8Array(signature), BASE64URL)}`;
}

/**
 * Verifies the RS256 signature of `token` against `publicKey` and returns its header and
 * claims, or null when the token is malformed, names another algorithm or the signature
 * does not match. Claims (exp, iss, ...) are the caller's to check.
 */
export async function verifyJwt(token: string, publicKey: CryptoKey): Promise<VerifiedJwt | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const decoder = new TextDecoder();
    const header = JSON.parse(decoder.decode(decodeBase64(parts[0], BASE64URL)));
    const payload = JSON.parse(decoder.decode(decodeBase64(parts[1], BASE64URL)));
    if (!isRecord(header) || !isRecord(payload) || header.alg !== "RS256") return null;
    const ok = await crypto.subtle.verify(
      ALGORITHM,
      publicKey,
      decodeBase64(parts[2], BASE64URL),
      new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
    );
    return ok ? { header, payload } : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
