/**
 * Membership changes of organisations and units, one rule for both (reference §2.7, §2.8):
 * adding someone who is already a member (or the owner) is a no-op answered 200, a new
 * member 201, both with no body; the owner cannot be removed (400); removing a non-member
 * is a 404. Any username matching the AS pattern may be added: the AS learns users from
 * Keycloak lazily, so it does not know who exists.
 *
 * @module
 */

import { USERNAME_PATTERN } from "../data/users.ts";
import { badRequest, empty, notFound } from "./http.ts";

/** What a membership change needs of an organisation or a unit. */
export interface Membership {
  /** The owner, a member without being listed (absent for the Default organisation). */
  ownerId?: string;
  /** Usernames of the listed members. */
  members: Set<string>;
}

/** A username path/body value, or a 400. */
export function checkUsername(value: unknown, field = "username"): string {
  if (typeof value !== "string" || !USERNAME_PATTERN.test(value)) {
    throw badRequest(
      `The ${field} ${
        JSON.stringify(value) ?? "(missing)"
      } is invalid: use 3-80 letters, digits or _ with @ . - between them`,
    );
  }
  return value;
}

/** Adds `username` (checked) to `target`; `recordAdded` is called only when it was not in yet. */
export function addMember(target: Membership, username: string, recordAdded: () => void): Response {
  const name = checkUsername(username);
  if (target.ownerId === name || target.members.has(name)) return empty(200);
  target.members.add(name);
  recordAdded();
  return empty(201);
}

/**
 * Removes `username` from `target`, then calls `recordRemoved`.
 *
 * @throws a 400 with `messages.owner` for the owner, a 404 with `messages.notMember` for
 *   someone not listed.
 */
export function removeMember(
  target: Membership,
  username: string,
  messages: { owner: string; notMember: string },
  recordRemoved: () => void,
): Response {
  if (target.ownerId === username) throw badRequest(messages.owner);
  if (!target.members.delete(username)) throw notFound(messages.notMember);
  recordRemoved();
  return empty(204);
}
