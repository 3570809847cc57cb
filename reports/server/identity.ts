/**
 * Who the report server is to the Account Server: the identity behind the access token it
 * sends, so that what one AS account may see is never cached for another. The Account
 * Server decides visibility per token; the caches of reports/server key everything by this
 * identity.
 *
 * A Keycloak access token is a JWT: its issuer (`iss`) and subject (`sub`, the user or
 * service account) name the account, and stay the same when the token is renewed. The
 * claims are read, not verified: the token comes from the server's own token source, not
 * from a caller. A token that is not a JWT (or lacks those claims) is identified by its
 * SHA-256 digest, so a renewed token only starts new cache entries. Only the last token
 * seen is kept (in memory, to skip the digest while it is reused); keys never hold a token.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { decodeBase64 } from "../../client/base64.ts";

/** Returns the identity of the AS account behind `token`, remembering the last few tokens. */
export type IdentityOf = (token: string) => string;

/** Most tokens remembered (one per AS account the server uses; renewals replace them). */
const REMEMBERED = 16;

/**
 * Creates an identity resolver for tokens of the Account Server at `sourceUrl` (part of
 * the identity: the same subject at another server is someone else).
 */
export function createIdentityResolver(sourceUrl: string): IdentityOf {
  const known = new Map<string, string>();
  // The token of the last call and its identity: the common case (one token source, a token
  // reused until it is renewed) costs one string comparison. Held in memory only, like the
  // token source's own copy.
  let last: { token: string; identity: string } | undefined;
  return (token) => {
    if (last?.token === token) return last.identity;
    const identity = resolve(token);
    last = { token, identity };
    return identity;
  };

  function resolve(token: string): string {
    const digest = sha256(token);
    const found = known.get(digest);
    if (found !== undefined) return found;
    const identity = `${sourceUrl}\n${subjectOf(token) ?? `token:${digest}`}`;
    known.set(digest, identity);
    if (known.size > REMEMBERED) known.delete(known.keys().next().value as string);
    return identity;
  }
}

/** `iss` and `sub` of a JWT, or `undefined` when `token` is not one with both. */
export function subjectOf(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(
      new TextDecoder().decode(decodeBase64(parts[1], { url: true })),
    );
    if (!claims || typeof claims !== "object") return undefined;
    const { iss, sub } = claims as { iss?: unknown; sub?: unknown };
    if (typeof iss !== "string" || typeof sub !== "string" || !iss || !sub) return undefined;
    return `jwt:${iss}\n${sub}`;
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
