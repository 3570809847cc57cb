/**
 * Finding the names nearest to one a user mistyped, for "unknown name" messages: which
 * organisations, units, products (or command-line options) to offer, nearest first. Pure
 * functions, no I/O; shared by onboarding and anything else that suggests names.
 *
 * Nearness, in order:
 * 0. the same name once letter case, accents and punctuation are ignored
 *    (`acme chemistry ltd` = `Acme Chemistry, Ltd.`);
 * 1. one contains the other (`Acme Chemistry` in `Acme Chemistry, Ltd.`);
 * 2. a typo (edit distance at most a third of the longer name, and at most 3) or a shared
 *    word of 3 letters or more (`Chemistry` in `Medicinal Chemistry`);
 * 3. anything else.
 * Within a tier, the smaller edit distance (of the folded names) comes first, then the name
 * in code-point order, so the order never depends on the input order.
 *
 * @module
 */

/** A candidate with how near it is to the name asked for. */
export interface RankedName<T> {
  /** The candidate. */
  item: T;
  /** Its name. */
  name: string;
  /** 0 same but for case/accents/punctuation, 1 contains or is contained, 2 typo or shared word, 3 other. */
  tier: 0 | 1 | 2 | 3;
  /** Edit distance (Levenshtein) between the folded names. */
  distance: number;
}

/**
 * A name folded for comparison: lower case, accents removed (NFKD without combining marks),
 * every run of characters other than letters and digits turned into one space, trimmed.
 */
export function foldName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Levenshtein distance of `a` and `b` (insertions, deletions, substitutions; UTF-16 units). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

function words(folded: string): Set<string> {
  return new Set(folded.split(" ").filter((w) => w.length >= 3));
}

function tierOf(ref: string, name: string, distance: number, refWords: Set<string>): 0 | 1 | 2 | 3 {
  if (ref === name) return 0;
  if (ref !== "" && name !== "" && (name.includes(ref) || ref.includes(name))) return 1;
  const longer = Math.max(ref.length, name.length);
  if (distance <= Math.min(3, Math.floor(longer / 3))) return 2;
  for (const w of words(name)) if (refWords.has(w)) return 2;
  return 3;
}

/**
 * Every item ranked by how near its name is to `ref`, nearest first (see the module doc
 * for the order). Exact matches are not special-cased: the caller looks for those first.
 */
export function rankByName<T>(
  ref: string,
  items: readonly T[],
  nameOf: (item: T) => string,
): RankedName<T>[] {
  const folded = foldName(ref);
  const refWords = words(folded);
  const ranked = items.map((item) => {
    const name = nameOf(item);
    const other = foldName(name);
    const distance = editDistance(folded, other);
    return { item, name, tier: tierOf(folded, other, distance, refWords), distance };
  });
  return ranked.sort((a, b) =>
    a.tier - b.tier || a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * The names nearest to `ref`, nearest first, at most `limit` (default 5). With `closeOnly`,
 * only candidates of tiers 0-2 (same but for case, containing, typo or shared word), which
 * suits suggestions like "did you mean"; otherwise the nearest of all, which suits "the
 * closest names you can see are ...".
 */
export function closestNames<T>(
  ref: string,
  items: readonly T[],
  nameOf: (item: T) => string,
  options: { limit?: number; closeOnly?: boolean } = {},
): RankedName<T>[] {
  const ranked = rankByName(ref, items, nameOf);
  const pool = options.closeOnly ? ranked.filter((r) => r.tier < 3) : ranked;
  return pool.slice(0, options.limit ?? 5);
}
