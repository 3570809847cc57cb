import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import { XqApi } from "../client/xq/api.ts";
import { unsealBytes } from "../reports/seal/seal.ts";
import { createSealEncoder, parseSealFlags } from "../scripts/seal_flags.ts";
import { serveXqSandbox } from "../sandbox/xq/serve.ts";

Deno.test("parseSealFlags: readers, default and explicit hours, and every bad input", () => {
  assert.equal(parseSealFlags({}), undefined);
  assert.deepEqual(parseSealFlags({ "seal-for": "a@example.com, b@example.com,a@example.com" }), {
    recipients: ["a@example.com", "b@example.com"],
    expiresHours: 168,
  });
  assert.deepEqual(
    parseSealFlags({
      "seal-for": "robot@alias.local,xq.public",
      "seal-expires-hours": "2",
      "allow-alias": true,
    }),
    { recipients: ["robot@alias.local", "xq.public"], expiresHours: 2 },
  );
  // An alias opens without a PIN: refused unless asked for on purpose.
  for (const list of ["robot@alias.local", "a@example.com,Robot@Alias.Local"]) {
    assert.throws(
      () => parseSealFlags({ "seal-for": list }),
      /Alias reader "[^"]+" in --seal-for: .*anyone holding the XQ API key.*--allow-alias/,
    );
  }
  assert.throws(() => parseSealFlags({ "seal-expires-hours": "2" }), /without --seal-for/);
  assert.throws(
    () => parseSealFlags({ "seal-for": "a@example.com", sandbox: true }),
    /cannot be used with --sandbox/,
  );
  assert.equal(parseSealFlags({ sandbox: true }), undefined);
  assert.throws(
    () => parseSealFlags({ "seal-for": "a@example.com", store: "kv" }),
    /cannot be combined with --store "kv"/,
  );
  assert.throws(() => parseSealFlags({ "seal-for": " , " }), UsageError);
  assert.throws(() => parseSealFlags({ "seal-for": "finance" }), /Invalid reader "finance"/);
  for (const hours of ["0", "1.5", "-3", "x", "9000"]) {
    assert.throws(
      () => parseSealFlags({ "seal-for": "a@example.com", "seal-expires-hours": hours }),
      new RegExp(`Invalid --seal-expires-hours "${hours}"`),
    );
  }
});

Deno.test("createSealEncoder seals each file in memory with keys from one XQ call", async () => {
  const xq = serveXqSandbox({ seed: 9 });
  try {
    const options = {
      xq: {
        apiKey: xq.apiKey,
        subscriptionUrl: xq.subscriptionUrl,
        validationUrl: xq.validationUrl,
        env: () => undefined,
      },
    };
    const request = { recipients: ["robot@alias.local"], expiresHours: 1 };
    await assert.rejects(createSealEncoder(1, request, { ...options, sandbox: true }), /--sandbox/);
    const encode = await createSealEncoder(2, request, options);
    const bytes = new TextEncoder().encode("a,b\r\n");
    const sealed = await encode(bytes, { name: "x.csv" });
    assert.equal(sealed.name, "x.csv.xqs");
    const robot = new XqApi(options.xq);
    await robot.authorizeAlias("robot");
    assert.deepEqual(await unsealBytes(sealed.bytes, robot), bytes);
    await assert.rejects(
      createSealEncoder(1, request, { xq: { ...options.xq, apiKey: "bad-key" } }),
    );
  } finally {
    await xq.close();
  }
});
