/**
 * The environment as the clients read it: a lookup function that tests can replace, and
 * the process environment as one that never throws.
 *
 * @module
 */

/** Looks up an environment variable; `undefined` when unset. */
export type EnvLookup = (name: string) => string | undefined;

/**
 * The process environment as an {@link EnvLookup}. Without `--allow-env` (or on a platform
 * without an environment) every variable reads as unset instead of throwing.
 */
export function processEnv(): EnvLookup {
  return (name) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined;
    }
  };
}
