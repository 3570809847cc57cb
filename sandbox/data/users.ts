/**
 * The sandbox's demo users. Passwords are sandbox-only demo secrets: they open nothing but
 * the local simulator, and are never printed by the sandbox itself.
 *
 * @module
 */

/** The admin: roles account-server-admin + account-server-user; owns the third organisation. */
export const DEMO_ADMIN = "sandbox-admin";
/** Owns the first organisation, is a member of one unit of the second (not of that org). */
export const DEMO_ADA = "ada.lovelace";
/** Owns the second organisation and is a listed member of the third. */
export const DEMO_GRACE = "grace_hopper";
/** A listed member of the first organisation and of one unit of the third. */
export const DEMO_CHEN = "chen.wei";
/** An evaluator (account-server-evaluator only) with a personal unit. */
export const DEMO_EVE = "eve.evaluator";
/** A user (account-server-user) who belongs to nothing. */
export const DEMO_OSCAR = "oscar.outsider";

/** Realm role of Account Server administrators. */
export const ROLE_ADMIN = "account-server-admin";
/** Realm role of ordinary Account Server users. */
export const ROLE_USER = "account-server-user";
/** Realm role of evaluators. */
export const ROLE_EVALUATOR = "account-server-evaluator";

/** A demo user of the sandbox (see `sandbox/state.ts` for the interface). */
interface DemoUserSpec {
  username: string;
  password: string;
  roles: string[];
}

/** The demo users, freshly copied (callers may not share arrays across states). */
export function demoUsers(): DemoUserSpec[] {
  return [
    { username: DEMO_ADMIN, password: "sandbox-admin-demo-pw", roles: [ROLE_ADMIN, ROLE_USER] },
    { username: DEMO_ADA, password: "ada-demo-pw", roles: [ROLE_USER] },
    { username: DEMO_GRACE, password: "grace-demo-pw", roles: [ROLE_USER] },
    { username: DEMO_CHEN, password: "chen-demo-pw", roles: [ROLE_USER] },
    { username: DEMO_EVE, password: "eve-demo-pw", roles: [ROLE_EVALUATOR] },
    { username: DEMO_OSCAR, password: "oscar-demo-pw", roles: [ROLE_USER] },
  ];
}

/** The AS username rule: 3..80 characters, word characters with `@ . -` as separators. */
export const USERNAME_PATTERN = /^(?=.{3,80}$)\w+(?:[@.-]\w+)*$/;
