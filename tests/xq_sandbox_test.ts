import assert from "node:assert/strict";
import { XqApi } from "../client/xq/api.ts";
import { XqError } from "../client/errors.ts";
import { sealFiles, unsealBytes } from "../reports/seal/seal.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";

async function withSandbox(fn: (s: RunningSandbox) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ seed: 5, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

function client(s: RunningSandbox): XqApi {
  return new XqApi({ ...s.xq, env: () => undefined });
}

async function outbox(s: RunningSandbox, to: string): Promise<{ pin: string; to: string }[]> {
  const res = await fetch(`${s.url}/xq/_outbox?to=${encodeURIComponent(to)}`, {
    headers: { "X-Sandbox-Admin-Key": s.adminKey },
  });
  assert.equal(res.status, 200);
  return (await res.json()).messages;
}

Deno.test("full sandbox: PIN flow through /xq, outbox guarded by the admin key", async () => {
  await withSandbox(async (s) => {
    const denied = await fetch(`${s.url}/xq/_outbox`);
    assert.equal(denied.status, 401);
    await denied.body?.cancel();

    const api = client(s);
    assert.equal((await api.validateApiKey()).status, "OK");
    await api.authorizeUser("finance@example.com");
    const [message] = await outbox(s, "finance@example.com");
    assert.equal(message.to, "finance@example.com");
    await api.codeValidate(message.pin);
    await api.exchangeKey();
    assert.ok(api.isAuthenticated);
  });
});

Deno.test("full sandbox: seal for two readers, open as one, expire by moving the sandbox clock", async () => {
  await withSandbox(async (s) => {
    const sender = client(s);
    await sender.authorizeAlias("billing");
    const bytes = new TextEncoder().encode("a,b\r\n1,2\r\n");
    const [sealed] = await sealFiles([{ name: "c.csv", bytes }], sender, {
      recipients: ["finance@example.com", "robot@alias.local"],
      expiresHours: 3,
    });
    const robot = client(s);
    await robot.authorizeAlias("robot");
    assert.deepEqual(await unsealBytes(sealed.bytes, robot), bytes);
    s.state.setNow("2026-03-15T16:00:00Z");
    const expired = await unsealBytes(sealed.bytes, robot).catch((e) => e);
    assert.ok(expired instanceof XqError);
    assert.equal(expired.status, 410);
  });
});

Deno.test("the simulator accepts the other SDKs' wire forms", async () => {
  await withSandbox(async (s) => {
    const sub = s.xq.subscriptionUrl;
    const text = async (res: Response) => (await res.text()).trim();
    // JAVA/JS: the key as a query parameter.
    const check = await fetch(`${sub}/apikey?api-key=${encodeURIComponent(s.xq.apiKey)}`);
    assert.equal(check.status, 200);
    await check.body?.cancel();
    const missing = await fetch(`${sub}/apikey`);
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { status: "Failed to locate API key" });

    const headers = { "api-key": s.xq.apiKey };
    // JS spelling newsLetter, phone-number user, no content type.
    const phone = await fetch(`${sub}/authorize`, {
      method: "POST",
      headers,
      body: JSON.stringify({ user: "(111) 222-3333", newsLetter: true, notifications: 3 }),
    });
    assert.equal(phone.status, 200);
    await phone.body?.cancel();
    const badLevel = await fetch(`${sub}/authorize`, {
      method: "POST",
      headers,
      body: JSON.stringify({ user: "a@example.com", notifications: 9 }),
    });
    assert.equal(badLevel.status, 400);
    await badLevel.body?.cancel();

    const alias = await text(
      await fetch(`${sub}/authorizealias`, {
        method: "POST",
        headers,
        body: JSON.stringify({ user: "device-1" }),
      }),
    );
    const auth = { ...headers, authorization: `Bearer ${alias}` };
    // JAVA/JS: recipients as a comma-joined string, string type, dor; two-step store as text/plain.
    const packet = await text(
      await fetch(`${sub}/packet`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          key: ".Asecret",
          recipients: "device-1@alias.local, xq.public",
          expires: 1,
          type: "file",
          dor: false,
        }),
      }),
    );
    const stored = await fetch(`${s.xq.validationUrl}/packet`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain;charset=UTF-8" },
      body: packet,
    });
    const token = await text(stored);
    assert.equal(token.length, 43);
    // xq.public: any signed-in reader holding the token.
    const other = client(s);
    await other.authorizeAlias("someone");
    assert.equal(await other.fetchKey(token), ".Asecret");
    // Python's bulk fetch.
    const bulk = await fetch(`${s.xq.validationUrl}/keys`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify([token, "B".repeat(43)]),
    });
    assert.deepEqual(await bulk.json(), { exported: [{ [token]: ".Asecret" }] });
  });
});
