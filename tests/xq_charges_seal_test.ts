import assert from "node:assert/strict";
import { join } from "node:path";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { entries, runScript, sandboxEnv } from "./fixtures/script_run.ts";

const ROOT = new URL("..", import.meta.url).pathname;

function envOf(s: RunningSandbox): Record<string, string> {
  return {
    ...sandboxEnv(s),
    XQ_API_KEY: s.xq.apiKey,
    XQ_SUBSCRIPTION_URL: s.xq.subscriptionUrl,
    XQ_VALIDATION_URL: s.xq.validationUrl,
  };
}

/** Runs `script` (relative to the project) from the project's folder. */
function run(script: string, args: string[], env: Record<string, string>) {
  return runScript(script, args, env, { cwd: ROOT });
}

async function list(dir: string): Promise<string[]> {
  return (await entries(dir)).sort();
}

Deno.test("charges --seal-for writes only sealed files; a listed reader unseals the CSV byte for byte", async () => {
  const sandbox = await startSandbox({ seed: 4, now: "2026-03-15T12:00:00Z", quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "charges_seal_" });
  try {
    const env = envOf(sandbox);
    const plain = await run("scripts/charges.ts", ["all", "--out-dir", join(dir, "plain")], env);
    assert.equal(plain.code, 0, plain.stderr);
    const sealedDir = join(dir, "sealed");
    const sealed = await run("scripts/charges.ts", [
      "all",
      "--out-dir",
      sealedDir,
      "--seal-for",
      "finance@example.com,robot@alias.local",
      "--allow-alias",
      "--seal-expires-hours",
      "5",
    ], env);
    assert.equal(sealed.code, 0, sealed.stderr);
    const plainNames = await list(join(dir, "plain"));
    const sealedNames = await list(sealedDir);
    // Same files, each only as .xqs: no plain file (not even a temporary one) is left.
    assert.deepEqual(sealedNames, plainNames.map((n) => `${n}.xqs`));

    const csv = plainNames.find((n) => n.endsWith(".csv"))!;
    const opened = await run("scripts/unseal.ts", [
      join(sealedDir, `${csv}.xqs`),
      "--alias",
      "robot",
      "--json",
    ], env);
    assert.equal(opened.code, 0, opened.stderr);
    assert.deepEqual(
      await Deno.readFile(join(sealedDir, csv)),
      await Deno.readFile(join(dir, "plain", csv)),
    );

    const stranger = await run("scripts/unseal.ts", [
      join(sealedDir, `${plainNames.find((n) => n.endsWith(".xlsx"))}.xqs`),
      "--alias",
      "stranger",
    ], env);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stderr, /not a recipient/);

    const refused = await run(
      "scripts/charges.ts",
      ["all", "--sandbox", "--out-dir", join(dir, "x"), "--seal-for", "a@example.com"],
      { NO_COLOR: "1" },
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--seal-for cannot be used with --sandbox/);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await sandbox.close();
  }
});

Deno.test("charges --seal-for without XQ_API_KEY exits 2 before any Account Server request", async () => {
  const sandbox = await startSandbox({ seed: 4, now: "2026-03-15T12:00:00Z", quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "charges_seal_noxq_" });
  try {
    const { XQ_API_KEY: _key, ...env } = envOf(sandbox);
    sandbox.resetStats();
    const res = await run("scripts/charges.ts", [
      "all",
      "--out-dir",
      dir,
      "--seal-for",
      "finance@example.com",
    ], env);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /XQ_API_KEY/);
    assert.equal(sandbox.stats().total, 0, "no request reached the sandbox");
    assert.deepEqual(await list(dir), []);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("charges --seal-for an alias reader without --allow-alias exits 2 before any request", async () => {
  const sandbox = await startSandbox({ seed: 4, now: "2026-03-15T12:00:00Z", quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "charges_seal_alias_" });
  try {
    sandbox.resetStats();
    const res = await run("scripts/charges.ts", [
      "all",
      "--out-dir",
      dir,
      "--seal-for",
      "finance@example.com,robot@alias.local",
    ], envOf(sandbox));
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /Alias reader "robot@alias\.local".*--allow-alias/s);
    assert.equal(sandbox.stats().total, 0, "no request reached the sandbox");
    assert.deepEqual(await list(dir), []);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});
