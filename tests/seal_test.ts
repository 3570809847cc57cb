import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { XqApi } from "../client/xq/api.ts";
import { isBillingError, SealError, UsageError, XqError } from "../client/errors.ts";
import {
  prepareSeals,
  sealFile,
  sealFiles,
  signInSender,
  unsealBytes,
} from "../reports/seal/seal.ts";
import {
  decodeKey,
  encodeKey,
  isSealed,
  parseSealed,
  plainName,
  SEAL_MAGIC,
} from "../reports/seal/format.ts";
import type { XqSandbox } from "../sandbox/xq/serve.ts";
import { signInUser, withXqSandbox, xqClient } from "./fixtures/xq_helpers.ts";

async function alias(xq: XqSandbox, id: string): Promise<XqApi> {
  const api = xqClient(xq);
  await api.authorizeAlias(id);
  return api;
}

function withXq(fn: (xq: XqSandbox) => Promise<void>): Promise<void> {
  return withXqSandbox(11, fn);
}

const CSV = new TextEncoder().encode(
  'organisation_id,coins\r\norg-1,12.50\r\norg-2,"1,000.005"\r\nÜnïcødé,0\r\n',
);

async function xlsxBytes(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Charges");
  ws.addRow(["organisation_id", "coins"]);
  ws.addRow(["org-1", "12.50"]);
  return new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
}

Deno.test("sealFiles seals CSV and XLSX with one createAndStorePackets call; a recipient unseals them byte for byte", async () => {
  await withXq(async (xq) => {
    const sender = await alias(xq, "billing");
    const calls: string[] = [];
    const spy = {
      createAndStorePacket: (...a: Parameters<XqApi["createAndStorePacket"]>) => {
        calls.push("one");
        return sender.createAndStorePacket(...a);
      },
      createAndStorePackets: (...a: Parameters<XqApi["createAndStorePackets"]>) => {
        calls.push("many");
        return sender.createAndStorePackets(...a);
      },
    };
    const xlsx = await xlsxBytes();
    const sealed = await sealFiles(
      [
        { name: "charges.csv", bytes: CSV },
        { name: "charges.xlsx", bytes: xlsx },
      ],
      spy,
      { recipients: ["a@example.com", "b@example.com"], expiresHours: 2 },
    );
    assert.deepEqual(calls, ["many"]);
    assert.deepEqual(sealed.map((f) => f.name), ["charges.csv.xqs", "charges.xlsx.xqs"]);
    for (const f of sealed) {
      assert.ok(isSealed(f.bytes));
      assert.equal(new TextDecoder().decode(f.bytes.subarray(0, 8)), SEAL_MAGIC);
      assert.equal(parseSealed(f.bytes).locator.length, 43);
      // The plain text does not appear in the sealed bytes.
      assert.ok(!new TextDecoder().decode(f.bytes).includes("org-1"));
    }
    const b = await signInUser(xq, "b@example.com");
    assert.deepEqual(await unsealBytes(sealed[0].bytes, b), CSV);
    assert.deepEqual(await unsealBytes(sealed[1].bytes, b), xlsx);
    const a = await signInUser(xq, "a@example.com");
    assert.deepEqual(await unsealBytes(sealed[1].bytes, a), xlsx);
  });
});

Deno.test("sealFile uses createAndStorePacket; an alias recipient opens it, a non-recipient cannot", async () => {
  await withXq(async (xq) => {
    const sender = await alias(xq, "billing");
    const sealed = await sealFile({ name: "r.csv", bytes: CSV }, sender, {
      recipients: ["robot@alias.local"],
    });
    assert.equal(sealed.name, "r.csv.xqs");
    assert.deepEqual(await unsealBytes(sealed.bytes, await alias(xq, "robot")), CSV);

    const outsider = await signInUser(xq, "outsider@example.com");
    const refused = await unsealBytes(sealed.bytes, outsider).catch((e) => e);
    assert.ok(refused instanceof XqError);
    assert.equal(refused.status, 403);
    // An alias never passes for its plain-email namesake.
    const namesake = await alias(xq, "outsider@example.com");
    await assert.rejects(unsealBytes(sealed.bytes, namesake), XqError);
  });
});

Deno.test("an expired packet cannot be opened", async () => {
  await withXq(async (xq) => {
    const sender = await alias(xq, "billing");
    const [sealed] = await sealFiles([{ name: "r.csv", bytes: CSV }], sender, {
      recipients: ["robot@alias.local"],
      expiresHours: 1,
    });
    const robot = await alias(xq, "robot");
    assert.deepEqual(await unsealBytes(sealed.bytes, robot), CSV);
    xq.advance(90 * 60_000);
    const expired = await unsealBytes(sealed.bytes, robot).catch((e) => e);
    assert.ok(expired instanceof XqError);
    assert.equal(expired.status, 410);
    assert.match(expired.message, /expired/);
  });
});

Deno.test("a flipped byte anywhere in a sealed file is detected", async () => {
  await withXq(async (xq) => {
    const sender = await alias(xq, "billing");
    const robot = await alias(xq, "robot");
    const { bytes } = await sealFile({ name: "s.csv", bytes: CSV.subarray(0, 24) }, sender, {
      recipients: ["robot@alias.local"],
    });
    assert.deepEqual(await unsealBytes(bytes, robot), CSV.subarray(0, 24));
    const kinds = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      const tampered = bytes.slice();
      tampered[i] ^= 0x01;
      const error = await unsealBytes(tampered, robot, { name: "s.csv.xqs" }).then(
        () => undefined,
        (e) => e,
      );
      assert.ok(isBillingError(error), `flipping byte ${i} went unnoticed`);
      kinds.add(error.name);
      if (i >= 11 + 43) {
        // IV, ciphertext and tag: the key is fetched, then authentication fails.
        assert.ok(error instanceof SealError, `byte ${i}: ${error.message}`);
        assert.match(error.message, /failed authentication.*nothing was written/);
      }
    }
    // Magic/version: not a sealed file (usage); locator: unknown key (XQ); rest: SealError.
    assert.deepEqual([...kinds].sort(), ["SealError", "UsageError", "XqError"]);
    // A truncated file is damaged, and plain bytes are not a sealed file.
    await assert.rejects(unsealBytes(bytes.subarray(0, 60), robot), SealError);
    await assert.rejects(unsealBytes(CSV, robot), UsageError);
  });
});

Deno.test("sealing refuses empty recipients; keys travel as .1 + base64 of 32 bytes", async () => {
  await assert.rejects(
    sealFiles([{ name: "x", bytes: CSV }], {} as XqApi, { recipients: [" "] }),
    UsageError,
  );
  assert.deepEqual(await sealFiles([], {} as XqApi, { recipients: ["a@example.com"] }), []);
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const text = encodeKey(raw);
  assert.match(text, /^\.1[A-Za-z0-9+/]{43}=$/);
  assert.deepEqual(decodeKey(text), raw);
  assert.deepEqual(decodeKey(text.slice(2)), raw); // JAVA/JS strip the prefix
  assert.throws(() => decodeKey(".2" + text.slice(2)), SealError);
  assert.throws(() => decodeKey(".1AAAA"), SealError);
  assert.equal(plainName("a.csv.xqs"), "a.csv");
  assert.equal(plainName("a.bin"), "a.bin.plain");
});

Deno.test("prepareSeals registers keys once, then seals files as they come; signInSender uses a fresh alias", async () => {
  await withXq(async (xq) => {
    const sender = xqClient(xq);
    const alias1 = await signInSender(sender);
    const alias2 = await signInSender(xqClient(xq));
    assert.match(alias1, /^squonk2-billing-[0-9a-f-]{36}$/);
    assert.notEqual(alias1, alias2);
    let batches = 0;
    const counting = {
      createAndStorePacket: sender.createAndStorePacket.bind(sender),
      createAndStorePackets: (...a: Parameters<XqApi["createAndStorePackets"]>) => {
        batches++;
        return sender.createAndStorePackets(...a);
      },
    };
    const sealer = await prepareSeals(2, counting, { recipients: ["robot@alias.local"] });
    assert.equal(sealer.remaining, 2);
    const one = await sealer.seal({ name: "a.csv", bytes: CSV });
    const two = await sealer.seal({ name: "b.csv", bytes: CSV.subarray(1) });
    assert.equal(sealer.remaining, 0);
    await assert.rejects(
      sealer.seal({ name: "c.csv", bytes: CSV }),
      /All 2 prepared keys are used/,
    );
    assert.equal(batches, 1);
    assert.notEqual(parseSealed(one.bytes).locator, parseSealed(two.bytes).locator);
    const robot = await alias(xq, "robot");
    assert.deepEqual(await unsealBytes(one.bytes, robot), CSV);
    assert.deepEqual(await unsealBytes(two.bytes, robot), CSV.subarray(1));
    // The run's sender can read its own keys (XQ rule); the fixed product name cannot.
    assert.deepEqual(await unsealBytes(one.bytes, sender), CSV);
    await assert.rejects(unsealBytes(one.bytes, await alias(xq, "squonk2-billing")), XqError);
    await assert.rejects(prepareSeals(0, counting, { recipients: ["a@example.com"] }), UsageError);
  });
});
