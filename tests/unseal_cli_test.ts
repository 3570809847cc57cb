import assert from "node:assert/strict";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { parseSealed } from "../reports/seal/format.ts";
import { sealFiles } from "../reports/seal/seal.ts";
import { serveXqSandbox, type XqSandbox } from "../sandbox/xq/serve.ts";
import { scriptCommand, type ScriptRun } from "./fixtures/script_run.ts";
import { xqClient } from "./fixtures/xq_helpers.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CSV = new TextEncoder().encode("organisation_id,coins\r\norg-1,12.50\r\norg-2,0.005\r\n");

interface Fixture {
  xq: XqSandbox;
  dir: string;
  csv: string;
  xlsx: string;
  xlsxBytes: Uint8Array;
}

async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const xq = serveXqSandbox({ seed: 3 });
  const dir = await Deno.makeTempDir({ prefix: "unseal_cli_" });
  try {
    const sender = xqClient(xq);
    await sender.authorizeAlias("billing");
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Charges").addRow(["org-1", 12.5]);
    const xlsxBytes = new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
    const sealed = await sealFiles(
      [
        { name: "charges.csv", bytes: CSV },
        { name: "charges.xlsx", bytes: xlsxBytes },
      ],
      sender,
      { recipients: ["reader@example.com", "robot@alias.local"], expiresHours: 1 },
    );
    for (const f of sealed) await Deno.writeFile(join(dir, f.name), f.bytes);
    await fn({
      xq,
      dir,
      csv: join(dir, "charges.csv.xqs"),
      xlsx: join(dir, "charges.xlsx.xqs"),
      xlsxBytes,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
    await xq.close();
  }
}

/** Runs `scripts/unseal.ts`; `feed` writes standard input (given the writer) and closes it. */
async function unseal(
  xq: XqSandbox,
  args: string[],
  feed?: (write: (line: string) => Promise<void>) => Promise<void>,
): Promise<ScriptRun> {
  const env = {
    XQ_API_KEY: xq.apiKey,
    XQ_SUBSCRIPTION_URL: xq.subscriptionUrl,
    XQ_VALIDATION_URL: xq.validationUrl,
  };
  const child = scriptCommand("scripts/unseal.ts", args, env, { cwd: ROOT, stdin: "piped" })
    .spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  try {
    await feed?.((line) => writer.write(encoder.encode(line + "\n")));
  } finally {
    await writer.close().catch(() => {});
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Waits until the outbox holds `count` messages for `to`; returns the newest PIN. */
async function pinFor(xq: XqSandbox, to: string, count = 1): Promise<string> {
  // Generous: the child Deno may start slowly on a loaded machine (not a timing assertion).
  for (let i = 0; i < 2400; i++) {
    const messages = await xq.outbox(to);
    if (messages.length >= count) return messages[messages.length - 1].pin;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`No PIN message for ${to}`);
}

async function absent(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => false, () => true);
}

Deno.test("unseal: email and PIN typed at the prompt (stdin) open the CSV byte for byte", async () => {
  await withFixture(async ({ xq, csv, dir }) => {
    let pin = "";
    const run = await unseal(xq, [csv, "--json"], async (write) => {
      await write("reader@example.com");
      pin = await pinFor(xq, "reader@example.com");
      await write(pin);
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.out, join(dir, "charges.csv"));
    assert.equal(report.reader, "reader@example.com");
    assert.deepEqual(await Deno.readFile(join(dir, "charges.csv")), CSV);
    assert.match(run.stderr, /Email: .*PIN: /s);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(pin), "the PIN was printed");
    assert.ok(!`${run.stdout}${run.stderr}`.includes(xq.apiKey), "the API key was printed");
    assert.ok(!/eyJ/.test(`${run.stdout}${run.stderr}`), "a token was printed");
  });
});

Deno.test("unseal: a wrong PIN is asked again; the XLSX comes out byte for byte", async () => {
  await withFixture(async ({ xq, xlsx, dir, xlsxBytes }) => {
    const out = join(dir, "opened.xlsx");
    const run = await unseal(
      xq,
      [xlsx, "--email", "reader@example.com", "--out", out],
      async (write) => {
        const pin = await pinFor(xq, "reader@example.com");
        await write(pin === "000000" ? "111111" : "000000");
        await write(pin);
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /not accepted; try again/);
    assert.deepEqual(await Deno.readFile(out), xlsxBytes);
  });
});

Deno.test("unseal: --alias opens without PIN; an existing output is kept unless --force", async () => {
  await withFixture(async ({ xq, csv, dir }) => {
    const out = join(dir, "charges.csv");
    await Deno.writeTextFile(out, "keep me");
    const refused = await unseal(xq, [csv, "--alias", "robot"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /already exists: pass --force/);
    assert.equal(await Deno.readTextFile(out), "keep me");

    const run = await unseal(xq, [csv, "--alias", "robot@alias.local", "--force"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /opened as robot@alias\.local/);
    assert.deepEqual(await Deno.readFile(out), CSV);
  });
});

Deno.test("unseal: a non-recipient, a tampered file and an expired key fail with exit 1 and write nothing", async () => {
  await withFixture(async ({ xq, csv, dir }) => {
    const out = join(dir, "charges.csv");
    const stranger = await unseal(xq, [csv, "--alias", "stranger"]);
    assert.equal(stranger.code, 1);
    assert.match(stranger.stderr, /not a recipient/);
    // The refusal names the XQ call but never the locator token (it opens the key).
    const { locator } = parseSealed(await Deno.readFile(csv), "charges.csv.xqs");
    assert.ok(!stranger.stderr.includes(locator), stranger.stderr);
    assert.ok(!stranger.stderr.includes(encodeURIComponent(locator)), stranger.stderr);
    assert.match(stranger.stderr, /\/key\/\[REDACTED\]/);
    assert.ok(!stranger.stderr.includes(xq.apiKey));
    assert.ok(await absent(out));

    const bytes = await Deno.readFile(csv);
    bytes[bytes.length - 20] ^= 0x40;
    const tampered = join(dir, "tampered.csv.xqs");
    await Deno.writeFile(tampered, bytes);
    const bad = await unseal(xq, [tampered, "--alias", "robot"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /failed authentication: it was modified or damaged/);
    assert.ok(await absent(join(dir, "tampered.csv")));

    xq.advance(2 * 3_600_000);
    const expired = await unseal(xq, [csv, "--alias", "robot"]);
    assert.equal(expired.code, 1);
    assert.match(expired.stderr, /expired/);
    assert.ok(await absent(out));
    // No temporary file was left behind either.
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["charges.csv.xqs", "charges.xlsx.xqs", "tampered.csv.xqs"]);
  });
});

Deno.test("unseal: bad input exits 2 before any sign-in", async () => {
  await withFixture(async ({ xq, dir }) => {
    const plain = join(dir, "plain.csv");
    await Deno.writeFile(plain, CSV);
    const notSealed = await unseal(xq, [plain, "--alias", "robot"]);
    assert.equal(notSealed.code, 2);
    assert.match(notSealed.stderr, /is not a sealed file/);
    const missing = await unseal(xq, [join(dir, "missing.xqs")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /not found/);
    assert.equal((await xq.outbox()).length, 0);
  });
});
