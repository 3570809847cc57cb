/**
 * Every relative link in README.md and docs/*.md leads somewhere: the target file (or folder)
 * exists, and an `#anchor` (in the same file or in another Markdown file) matches a heading
 * there, slugged as GitHub does (lower case, spaces to `-`, punctuation other than `-` and `_`
 * dropped, `-1`, `-2`... for repeated headings). Links inside code blocks and code spans are
 * not links. External links (`https:`, `mailto:`...) are not checked: no network in tests.
 * And no code span runs on into the next line (a wrapped command renders with a space in it).
 *
 * The checker is a few pure functions over in-memory text, so the unit cases below prove that
 * it fails on broken links without touching the file system.
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

/** One link found in a Markdown text. */
interface FoundLink {
  /** 1-based line of the link. */
  line: number;
  /** The target as written, e.g. `docs/charges.md#file-names`. */
  target: string;
}

/** Fenced code blocks replaced by blank lines and code spans by spaces, line count kept. */
function withoutCode(markdown: string): string[] {
  const out: string[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const open = line.match(/^ {0,3}(`{3,}|~{3,})/);
    if (fence) {
      const close = line.match(/^ {0,3}(`{3,}|~{3,})\s*$/);
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = null;
      out.push("");
      continue;
    }
    if (open) {
      fence = { char: open[1][0], length: open[1].length };
      out.push("");
      continue;
    }
    out.push(withoutCodeSpans(line));
  }
  return out;
}

/** Replaces each code span (a run of N backticks up to the next run of exactly N) by spaces. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)([^`]|(?!\1)`)*?\1(?!`)/g, (span) => " ".repeat(span.length));
}

/**
 * Lines where a code span opens but does not close (it runs on into the next line, so a
 * wrapped command or name renders with a space in it). Escaped backticks do not count.
 */
export function brokenCodeSpans(markdown: string): number[] {
  const lines: number[] = [];
  withoutCode(markdown).forEach((text, index) => {
    if (/(^|[^\\])`/.test(text)) lines.push(index + 1);
  });
  return lines;
}

/** Inline links and images `[text](target "title")` and reference definitions `[x]: target`. */
export function extractLinks(markdown: string): FoundLink[] {
  const links: FoundLink[] = [];
  withoutCode(markdown).forEach((text, index) => {
    const line = index + 1;
    for (const m of text.matchAll(/\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      links.push({ line, target: m[1].replace(/^<|>$/g, "") });
    }
    const def = text.match(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/);
    if (def) links.push({ line, target: def[1].replace(/^<|>$/g, "") });
  });
  return links;
}

/** GitHub's slug of a heading's text (github-slugger, without the duplicate counter). */
export function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The text a heading renders to: links become their text, emphasis and code marks go. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, "") // closing hashes
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`+/g, "")
    .replace(/\*+/g, "")
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, "$1")
    .replace(/<[^>]+>/g, "")
    .trim();
}

/** Every anchor a Markdown text offers: heading slugs (numbered when repeated) and HTML ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (slug: string) => {
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  const lines = withoutCode(markdown);
  const raw = markdown.split(/\r?\n/);
  lines.forEach((text, i) => {
    const atx = text.match(/^ {0,3}#{1,6}(?:\s+(.*))?$/);
    if (atx) {
      // Slug from the original line: a heading may contain code spans.
      const original = raw[i].match(/^ {0,3}#{1,6}(?:\s+(.*))?$/);
      add(githubSlug(headingText(original?.[1] ?? "")));
      return;
    }
    const previous = i > 0 ? lines[i - 1] : "";
    if (
      /^ {0,3}(=+|-+)\s*$/.test(text) && previous.trim() !== "" && !/^\s*[-*+|>#]/.test(previous)
    ) {
      add(githubSlug(headingText(raw[i - 1])));
    }
    for (const m of text.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*"([^"]+)"/gi)) anchors.add(m[1]);
  });
  return anchors;
}

/** Where the checker reads files: a text by path (null when absent) and whether a path exists. */
export interface LinkFiles {
  read(path: string): string | null;
  exists(path: string): boolean;
}

/**
 * Checks the links of `path` (its text given) and returns one line per broken link, e.g.
 * `README.md:12: docs/nope.md does not exist`. Paths are relative to the repository root.
 */
export function brokenLinks(path: string, markdown: string, files: LinkFiles): string[] {
  const problems: string[] = [];
  for (const { line, target } of extractLinks(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // external
    const hash = target.indexOf("#");
    const filePart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const where = `${path}:${line}: ${target}`;
    let targetPath = path;
    if (filePart !== "") {
      targetPath = filePart.startsWith("/")
        ? normalize(filePart.slice(1))
        : normalize(join(dirname(path), filePart));
      if (targetPath.startsWith("..")) {
        problems.push(`${where} leaves the repository`);
        continue;
      }
      if (!files.exists(targetPath)) {
        problems.push(`${where}: ${targetPath} does not exist`);
        continue;
      }
    }
    if (anchor === undefined || anchor === "") continue;
    if (!targetPath.toLowerCase().endsWith(".md")) continue; // e.g. file.ts#L10: not a heading
    const text = targetPath === path ? markdown : files.read(targetPath);
    if (text === null || !anchorsOf(text).has(anchor)) {
      problems.push(`${where}: no heading "#${anchor}" in ${targetPath}`);
    }
  }
  return problems;
}

// ---- unit cases, on in-memory text ----

/** Files held in memory, for the unit cases. */
function memoryFiles(texts: Record<string, string>, others: string[] = []): LinkFiles {
  return {
    read: (p) => texts[p] ?? null,
    exists: (p) =>
      p in texts || others.includes(p) ||
      Object.keys(texts).some((k) => k.startsWith(`${p}/`)),
  };
}

Deno.test("githubSlug follows GitHub's rules", () => {
  // Expected slugs worked out by hand from GitHub's rendering rules.
  assert.equal(githubSlug("Who may log in"), "who-may-log-in");
  assert.equal(githubSlug("Export charges: deno task charges"), "export-charges-deno-task-charges");
  assert.equal(
    githubSlug("TLS verification (SQUONK2_ASAPI_VERIFY_SSL_CERT)"),
    "tls-verification-squonk2_asapi_verify_ssl_cert",
  );
  assert.equal(
    githubSlug("Sealed file format (.xqs, version 1)"),
    "sealed-file-format-xqs-version-1",
  );
  assert.equal(githubSlug("Société Générale"), "société-générale");
  assert.equal(githubSlug("A  B"), "a--b");
});

Deno.test("anchorsOf slugs code spans, numbers repeats, skips fenced code", () => {
  const md = [
    "# Title",
    "## The report server (`deno task serve`)",
    "## Options",
    "### Options",
    "```sh",
    "# not a heading",
    "```",
    "Setext heading",
    "--------------",
    '<a id="custom-anchor"></a>',
  ].join("\n");
  assert.deepEqual(
    [...anchorsOf(md)].sort(),
    [
      "custom-anchor",
      "options",
      "options-1",
      "setext-heading",
      "the-report-server-deno-task-serve",
      "title",
    ],
  );
});

Deno.test("extractLinks ignores links in code spans and code blocks", () => {
  const md = [
    "See [a](a.md) and `[b](b.md)` and ``[c](c.md) `x` ``.",
    "```md",
    "[d](d.md)",
    "```",
    '![img](pic.png "title") [ref]: not-a-def',
    "[ref]: e.md",
  ].join("\n");
  assert.deepEqual(extractLinks(md), [
    { line: 1, target: "a.md" },
    { line: 5, target: "pic.png" },
    { line: 6, target: "e.md" },
  ]);
});

Deno.test("brokenLinks fails on a missing file, a missing anchor and a missing heading elsewhere", () => {
  const files = memoryFiles({
    "README.md": "",
    "docs/charges.md": "# Charges\n\n## File names\n",
  }, ["reports/file_name.ts"]);
  const md = [
    "# Read me",
    "[ok](docs/charges.md) [ok](docs/charges.md#file-names) [ok](#read-me)",
    "[ok](reports/file_name.ts#L3) [ok](https://example.com/x.md#nope) [ok](docs)",
    "[bad](reports/README.md)",
    "[bad](#nowhere)",
    "[bad](docs/charges.md#file-name)",
    "[bad](../outside.md)",
  ].join("\n");
  assert.deepEqual(brokenLinks("README.md", md, files), [
    "README.md:4: reports/README.md: reports/README.md does not exist",
    'README.md:5: #nowhere: no heading "#nowhere" in README.md',
    'README.md:6: docs/charges.md#file-name: no heading "#file-name" in docs/charges.md',
    "README.md:7: ../outside.md leaves the repository",
  ]);
});

Deno.test("brokenLinks resolves links relative to the linking file", () => {
  const files = memoryFiles({
    "README.md": "# squonk2-billing\n\n## Configuration\n",
    "docs/sandbox.md": "# Sandbox\n",
  });
  const md = "[up](../README.md#configuration) [side](sandbox.md) [bad](docs/sandbox.md)";
  assert.deepEqual(brokenLinks("docs/library.md", md, files), [
    "docs/library.md:1: docs/sandbox.md: docs/docs/sandbox.md does not exist",
  ]);
});

Deno.test("brokenCodeSpans finds a code span wrapped onto the next line", () => {
  const md = [
    "A `whole span` and ``a `tick` inside``, an escaped \\` tick.",
    "The results CSV: `line, username,",
    "outcome, message`.",
    "```sh",
    "echo `date`",
    "```",
  ].join("\n");
  assert.deepEqual(brokenCodeSpans(md), [2, 3]);
});

/**
 * Code spans that name a file of this repository (`client/as/api.ts`, `reports/_pool.ts`,
 * `docs/charges.md`) whose file does not exist: paths in prose go stale when files move.
 */
export function missingPathSpans(markdown: string, files: LinkFiles): string[] {
  const out: string[] = [];
  const span = /`((?:client|reports|scripts|sandbox|tests|docs)\/[\w./-]+\.(?:ts|md))`/g;
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    // Code blocks show commands and examples, not claims about the tree: skipped.
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(span)) if (!files.exists(m[1])) out.push(m[1]);
  }
  return out;
}

Deno.test("missingPathSpans names repository paths in code spans that do not exist", () => {
  const files = memoryFiles({}, ["client/as/api.ts"]);
  const text = "See `client/as/api.ts` and `reports/pool.ts`.\n```\nreports/old.ts\n```\n" +
    "Not a path: `deno task test`, `./mod.ts`.";
  assert.deepEqual(missingPathSpans(text, files), ["reports/pool.ts"]);
});

// ---- the real files ----

const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), ".."));

function diskFiles(): LinkFiles {
  return {
    read(path) {
      try {
        return Deno.readTextFileSync(join(ROOT, path));
      } catch {
        return null;
      }
    },
    exists(path) {
      try {
        Deno.statSync(join(ROOT, path));
        return true;
      } catch {
        return false;
      }
    },
  };
}

function markdownPages(): string[] {
  const paths = ["README.md"];
  for (const entry of Deno.readDirSync(join(ROOT, "docs"))) {
    if (entry.isFile && entry.name.endsWith(".md")) paths.push(`docs/${entry.name}`);
  }
  return paths.sort();
}

Deno.test("README.md and docs/*.md have no code span broken across lines", () => {
  const files = diskFiles();
  const problems = markdownPages().flatMap((p) =>
    brokenCodeSpans(files.read(p) ?? "").map((line) => `${p}:${line}`)
  );
  assert.deepEqual(problems, [], `Code spans broken by line wrapping:\n${problems.join("\n")}`);
});

Deno.test("README.md and docs/*.md have no broken relative links or anchors", () => {
  const paths = markdownPages();
  assert.ok(paths.length > 1, "docs/ holds no Markdown pages");
  const files = diskFiles();
  const problems = paths.flatMap((p) => {
    const text = files.read(p);
    assert.ok(text !== null, `cannot read ${p}`);
    return brokenLinks(p, text, files);
  });
  assert.deepEqual(problems, [], `Broken links:\n${problems.join("\n")}`);
});

Deno.test("README.md and docs/*.md name no repository file that does not exist", () => {
  const files = diskFiles();
  const problems = markdownPages().flatMap((p) =>
    missingPathSpans(files.read(p) ?? "", files).map((path) => `${p}: ${path}`)
  );
  assert.deepEqual(problems, [], `Paths that do not exist:\n${problems.join("\n")}`);
});
