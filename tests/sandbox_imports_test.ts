/**
 * The sandbox is an independent oracle for the reports: it must not compute with the
 * client's code (client/coins.ts, client/dates.ts above all). It may take types from
 * client/, the shared error hierarchy (client/errors.ts), secret redaction
 * (client/redact.ts), secret handling (client/secrets.ts: a timing-safe compare and
 * random secrets) and base64 (client/base64.ts): nothing a report is checked with; nothing
 * from reports/ or scripts/.
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SANDBOX = join(ROOT, "sandbox");
const VALUE_IMPORTS_ALLOWED = new Set([
  "client/errors.ts",
  "client/redact.ts",
  "client/secrets.ts",
  "client/base64.ts",
]);

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

/** `[isTypeOnly, specifier]` of each static import and re-export in `source`. */
function importsOf(source: string): [boolean, string][] {
  const found: [boolean, string][] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)"/gm;
  for (const m of source.matchAll(pattern)) found.push([m[2] !== undefined, m[3]]);
  for (const m of source.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) found.push([false, m[1]]);
  return found;
}

Deno.test("the sandbox takes only types, errors, redaction and secrets from client/, nothing from reports/ or scripts/", async () => {
  const problems: string[] = [];
  let files = 0;
  for await (const file of tsFiles(SANDBOX)) {
    files++;
    const source = await Deno.readTextFile(file);
    const from = relative(ROOT, file);
    for (const [typeOnly, specifier] of importsOf(source)) {
      if (!specifier.startsWith(".")) continue;
      const target = relative(ROOT, join(file, "..", specifier));
      if (target.startsWith("reports/") || target.startsWith("scripts/")) {
        problems.push(`${from} imports ${target}`);
      }
      if (target.startsWith("client/") && !typeOnly && !VALUE_IMPORTS_ALLOWED.has(target)) {
        problems.push(`${from} imports values from ${target}`);
      }
    }
  }
  assert.ok(files > 30, `found the sandbox sources (${files} files)`);
  assert.deepEqual(problems, []);
});

Deno.test("the import check itself sees value imports, type imports and re-exports", () => {
  assert.deepEqual(
    importsOf(`import { Coins } from "../client/coins.ts";
import type {
  A,
  B,
} from "../client/types.ts";
export { x } from "./y.ts";
const m = await import("../reports/z.ts");`),
    [
      [false, "../client/coins.ts"],
      [true, "../client/types.ts"],
      [false, "./y.ts"],
      [false, "../reports/z.ts"],
    ],
  );
});
