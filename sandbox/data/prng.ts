/**
 * Small deterministic pseudo-random helpers for the sandbox's demo data. Everything the
 * sandbox invents (ids, names, charges) comes from these, seeded from the sandbox seed and
 * a key, never from `Math.random`, so the same seed and clock give the same data.
 *
 * @module
 */

/** A seeded random source: `next()` gives a float in [0, 1). */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A lowercase hex UUID in the version-4 layout. */
  uuid(): string;
}

/** Mixes a 32-bit state with one more 32-bit value (murmur3-style finaliser). */
function mix(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  return h;
}

/** Final avalanche step of murmur3. */
function finalise(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a seed and a list of numbers or strings into one 32-bit seed, so that independent
 * streams (one per product and period, say) can be derived without storing anything.
 */
export function hashSeed(seed: number, parts: readonly (number | string)[] = []): number {
  let h = mix(0x9747b28c, seed);
  for (const part of parts) {
    if (typeof part === "number") {
      h = mix(h, part);
      h = mix(h, Math.floor(part / 0x100000000));
    } else {
      for (let i = 0; i < part.length; i++) h = mix(h, part.charCodeAt(i));
      h = mix(h, part.length);
    }
  }
  return finalise(h);
}

/** Creates a mulberry32 generator from a 32-bit seed, wrapped as a {@link Random}. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function int(min: number, max: number): number {
    return min + Math.floor(next() * (max - min + 1));
  }
  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(next() * items.length)];
  }
  function hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += Math.floor(next() * 16).toString(16);
    return out;
  }
  function uuid(): string {
    const variant = "89ab"[Math.floor(next() * 4)];
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
  return { next, int, pick, uuid };
}

/** Shorthand for `createRandom(hashSeed(seed, parts))`. */
export function randomFor(seed: number, parts: readonly (number | string)[]): Random {
  return createRandom(hashSeed(seed, parts));
}
