/**
 * Names for demo organisations, units and products. They include non-ASCII letters,
 * commas, double quotes and names starting with `=` so that CSV/XLSX writers meet the
 * awkward cases (formula injection, quoting) in every demo.
 *
 * @module
 */

/** Organisation names, used in order; generated ones follow when more are asked for. */
export const ORG_NAMES: readonly string[] = [
  "Acme Chemistry, Ltd.",
  "=SUM(A1) Labs",
  'Société "Générale" de Synthèse',
  "Zürich Ångström Biotech",
  "Kraków Crystal Works",
];

/** Unit names, used in order across all organisations. */
export const UNIT_NAMES: readonly string[] = [
  "Crystallography",
  "Hit-to-lead, Phase 2",
  'Müller "Fragment" Group',
  '=HYPERLINK("http://x") Unit',
  "Ørsted Screening",
  "Medicinal Chemistry",
  "São Paulo Outreach",
  "Computational, Modelling & AI",
  "Naïve Bayes Team",
];

/** Product names, used in order across all units. */
export const PRODUCT_NAMES: readonly string[] = [
  "Project Ångström",
  "Fragment screen, batch 7",
  '"Top secret" project',
  "Datasets – Ümlaut",
  "=1+1 virtual screen",
  "Crème brûlée docking",
  "Kinase panel",
  "Ligand library, 2026",
];

/** The `index`-th name of `pool`, numbered once the pool is used up. */
export function nameAt(pool: readonly string[], index: number, noun: string): string {
  if (index < pool.length) return pool[index];
  return `${noun} ${index + 1}, sandbox`;
}
