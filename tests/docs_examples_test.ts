// Examples in the docs that a reader runs against the sandbox must work as written:
// - the onboarding file of docs/onboarding.md plans without an invalid row, with every step
//   "to add" (its users are new to the sandbox);
// - every `deno task charges ...` and `deno task onboard ...` command example of README.md,
//   docs/onboarding.md and docs/charges.md (in ```sh blocks and in inline code) runs and exits
//   0 against a sandbox started here like `deno task sandbox` (default seed, today's clock):
//   with its own --sandbox when the example has one, else through the SQUONK2_* settings
//   that `deno task sandbox` prints. Onboarding examples find the docs' file as users.csv,
//   and charges examples the rates file of docs/charges.md as rates.csv.
//
// DOCS_EXAMPLES_ROOT=<dir> reads README.md and docs/ from another directory (to try a
// corrected page before it lands).
import assert from "node:assert/strict";
import { parseOnboardCsv } from "../reports/onboard/csv.ts";
import { buildOnboardPlan } from "../reports/onboard/plan.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { runScript, sandboxEnv } from "./fixtures/script_run.ts";

const REPO = new URL("..", import.meta.url).pathname;
const ROOT = (Deno.env.get("DOCS_EXAMPLES_ROOT") ?? REPO).replace(/\/?$/, "/");
/** The pages whose command examples are run. */
const PAGES = ["README.md", "docs/onboarding.md", "docs/charges.md"];
/** The tasks whose examples are run, and their scripts. */
const TASKS: Record<string, string> = {
  charges: `${REPO}scripts/charges.ts`,
  onboard: `${REPO}scripts/onboard.ts`,
};

/** The first fenced block of `language` in `markdown`. */
export function firstBlock(markdown: string, language: string): string | undefined {
  const m = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "m").exec(markdown);
  return m?.[1];
}

/** A command example found in a page. */
export interface CommandExample {
  /** The page and line, for messages. */
  where: string;
  /** The command as written (without a trailing `# comment`). */
  text: string;
  /** The task: `charges` or `onboard`. */
  task: string;
  /** Its arguments, split as a POSIX shell would (quotes removed). */
  args: string[];
}

/**
 * Splits a command line into words as a POSIX shell does for plain and quoted words, up to a
 * comment or an unquoted `|`, `;`, `&` or `>`.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`Unclosed ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ((c === "#" && word === undefined) || "|;&>".includes(c)) {
      break; // a comment, or the rest of a pipeline or list: only the command itself runs
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The `deno task charges|onboard ...` examples of a page: lines of ```sh blocks and inline
 * code spans. Synopses with placeholders (`<org|unit>`, `[ID-OR-NAME]`, `FILE.csv`, `...`)
 * are not examples and are left out.
 */
export function commandExamples(markdown: string, page: string): CommandExample[] {
  const found: CommandExample[] = [];
  const lines = markdown.split("\n");
  let inSh = false;
  lines.forEach((line, i) => {
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      inSh = !inSh && (fence[1] === "sh" || fence[1] === "bash" || fence[1] === "shell");
      return;
    }
    const candidates = inSh ? [line] : [...line.matchAll(/`(deno task [^`]+)`/g)].map((m) => m[1]);
    for (const candidate of candidates) {
      const m = /^\s*deno task (\w+)\s(.*)$/.exec(candidate);
      if (!m || !(m[1] in TASKS)) continue;
      const text = `deno task ${m[1]} ${m[2]}`.replace(/\s+#.*$/, "").trim();
      if (/[<[]|\.\.\.|…|FILE|ID-OR-NAME/.test(text)) continue;
      found.push({ where: `${page}:${i + 1}`, text, task: m[1], args: shellWords(m[2]) });
    }
  });
  return found;
}

Deno.test("shellWords and commandExamples read examples as a shell and a reader would", () => {
  assert.deepEqual(shellWords(`org "Acme Chemistry, Ltd." --pbp -1   # a comment`), [
    "org",
    "Acme Chemistry, Ltd.",
    "--pbp",
    "-1",
  ]);
  assert.deepEqual(shellWords(`a 'b "c"' d\\ e x#y`), ["a", 'b "c"', "d e", "x#y"]);
  assert.deepEqual(shellWords(`all --json | jq .ok`), ["all", "--json"]);
  assert.deepEqual(shellWords(`org "a|b" > out.txt`), ["org", "a|b"]);
  const page = [
    "Run `deno task onboard users.csv --sandbox --dry-run` first.",
    "| `deno task charges <org\\|unit> [ID-OR-NAME]` | synopsis |",
    "```sh",
    'deno task charges org "Acme" --pbp -11..-1   # twelve periods',
    "deno task charges ... --store SPEC",
    "deno task serve --store x",
    "```",
    "```",
    "deno task charges not-sh",
    "```",
  ].join("\n");
  assert.deepEqual(
    commandExamples(page, "p.md").map((e) => [e.where, e.task, e.args]),
    [
      ["p.md:1", "onboard", ["users.csv", "--sandbox", "--dry-run"]],
      ["p.md:4", "charges", ["org", "Acme", "--pbp", "-11..-1"]],
    ],
  );
});

Deno.test("firstBlock finds a fenced block by its language", () => {
  assert.equal(firstBlock("x\n```sh\nls\n```\n```csv\na,b\n1,2\n```\n", "csv"), "a,b\n1,2\n");
  assert.equal(firstBlock("no blocks", "csv"), undefined);
});

async function page(name: string): Promise<string> {
  return await Deno.readTextFile(`${ROOT}${name}`);
}

Deno.test("docs/onboarding.md: the example file plans against the sandbox as written", async () => {
  const csv = firstBlock(await page("docs/onboarding.md"), "csv");
  assert.ok(csv, "docs/onboarding.md has a csv example");
  const sandbox = await startSandbox({ port: 0, seed: 1, quiet: true });
  try {
    const plan = await buildOnboardPlan(
      sandboxConnection(sandbox),
      parseOnboardCsv(csv, { file: "users.csv" }),
    );
    assert.deepEqual(plan.invalid, [], "no invalid row");
    assert.equal(plan.rows.length, 3);
  } finally {
    await sandbox.close();
  }
});

async function runExample(
  example: CommandExample,
  sandbox: RunningSandbox,
  csv: string,
  rates?: string,
): Promise<string | undefined> {
  // Each in a directory of its own, as a reader would try it, with the page's users.csv
  // (and the rates file of docs/charges.md as rates.csv).
  const cwd = await Deno.makeTempDir({ prefix: "docs_example_" });
  await Deno.writeTextFile(`${cwd}/users.csv`, csv);
  if (rates !== undefined) await Deno.writeTextFile(`${cwd}/rates.csv`, rates);
  // As written: --sandbox starts its own; otherwise the settings `deno task sandbox` prints.
  const env = example.args.includes("--sandbox") ? {} : sandboxEnv(sandbox);
  const run = await runScript(TASKS[example.task], example.args, env, { cwd }).finally(() =>
    Deno.remove(cwd, { recursive: true })
  );
  if (run.code === 0) return undefined;
  return `${example.where}: \`${example.text}\` exited ${run.code}:\n${run.stderr.trim()}`;
}

Deno.test("README and docs: every charges and onboard command example runs against the sandbox", async () => {
  const examples: CommandExample[] = [];
  for (const name of PAGES) examples.push(...commandExamples(await page(name), name));
  assert.ok(examples.some((e) => e.task === "charges"), "charges examples are found");
  assert.ok(examples.some((e) => e.task === "onboard"), "onboard examples are found");
  const csv = firstBlock(await page("docs/onboarding.md"), "csv");
  assert.ok(csv, "docs/onboarding.md has a csv example");
  const rates = firstBlock(await page("docs/charges.md"), "csv");
  // Like `deno task sandbox`: seed 1, today's clock, default sizes.
  const sandbox = await startSandbox({ port: 0, quiet: true });
  try {
    // Two at a time: each is a `deno run` of its own.
    const failures: string[] = [];
    for (let i = 0; i < examples.length; i += 2) {
      const batch = examples.slice(i, i + 2).map((e) => runExample(e, sandbox, csv, rates));
      for (const failure of await Promise.all(batch)) if (failure) failures.push(failure);
    }
    assert.deepEqual(failures, [], `${failures.length} example(s) failed:\n${failures.join("\n")}`);
  } finally {
    await sandbox.close();
  }
});
