import assert from "node:assert/strict";
import { XqApi } from "../client/xq/api.ts";
import { AuthError, ConfigError, NetworkError, UsageError, XqError } from "../client/errors.ts";
import type { XqSandbox } from "../sandbox/xq/serve.ts";
import { signInUser, withXqSandbox, xqClient } from "./fixtures/xq_helpers.ts";

function withXq(fn: (xq: XqSandbox) => Promise<void>): Promise<void> {
  return withXqSandbox(7, fn);
}

function assertNoSecret(error: unknown, secrets: string[]): void {
  const text = `${(error as Error).message} ${(error as XqError).serverMessage ?? ""}`;
  for (const s of secrets) assert.ok(!text.includes(s), `message leaks a secret: ${text}`);
}

Deno.test("validateApiKey returns scopes, and names a bad or dashboard key without echoing it", async () => {
  await withXq(async (xq) => {
    const info = await xqClient(xq).validateApiKey();
    assert.equal(info.status, "OK");
    assert.ok(info.scopes.includes("packet"));

    for (const key of ["wrong-key-123456", xq.dashboardApiKey]) {
      const error = await xqClient(xq, { apiKey: key }).validateApiKey().catch((e) => e);
      assert.ok(error instanceof XqError);
      assert.equal(error.status, 401);
      assert.match(error.message, /^The provided API Key is not valid/);
      assert.match(error.message, /XQ_API_KEY/);
      assertNoSecret(error, [key]);
    }
  });
});

Deno.test("the constructor needs an API key and valid URLs, from options or environment", () => {
  assert.throws(() => new XqApi({ env: () => undefined }), ConfigError);
  assert.throws(
    () => new XqApi({ apiKey: "k", subscriptionUrl: "ftp://x", env: () => undefined }),
    /Invalid XQ_SUBSCRIPTION_URL "ftp:\/\/x"/,
  );
  const env: Record<string, string> = {
    XQ_API_KEY: "env-key",
    XQ_SUBSCRIPTION_URL: "http://sub.example/v2/",
    XQ_VALIDATION_URL: "http://val.example/v2",
  };
  const api = new XqApi({ env: (n) => env[n] });
  assert.equal(api.subscriptionUrl, "http://sub.example/v2");
  assert.equal(api.validationUrl, "http://val.example/v2");
  const fallback = new XqApi({ apiKey: "k", env: () => undefined });
  assert.equal(fallback.subscriptionUrl, "https://subscription.xqmsg.net/v2");
  assert.equal(fallback.validationUrl, "https://validation.xqmsg.net/v2");
});

Deno.test("PIN flow: authorizeUser, codeValidate (wrong then right), exchangeKey once", async () => {
  await withXq(async (xq) => {
    const api = xqClient(xq);
    assert.equal(api.isAuthenticated, false);
    const preAuth = await api.authorizeUser("Reader@Example.com", { firstName: "Rea" });
    assert.ok(preAuth.length > 20);
    const messages = await xq.outbox("reader@example.com");
    assert.equal(messages.length, 1);
    const pin = messages[0].pin;
    assert.match(pin, /^\d{6}$/);

    const wrong = pin === "000000" ? "111111" : "000000";
    const bad = await api.codeValidate(wrong).catch((e) => e);
    assert.ok(bad instanceof XqError);
    assert.match(
      bad.message,
      /^The provided pin is incorrect \(HTTP 401, GET \S+pin=\[REDACTED\]\): check/,
    );
    assertNoSecret(bad, [wrong, pin, preAuth]);

    const early = await xqClient(xq);
    await early.authorizeUser("other@example.com");
    const notValidated = await early.exchangeKey().catch((e) => e);
    assert.ok(notValidated instanceof XqError);
    assert.match(notValidated.message, /^Key Exchange creation failed/);

    assert.equal(await api.codeValidate(pin), true);
    const access = await api.exchangeKey("team-42");
    assert.ok(api.isAuthenticated);
    assert.notEqual(access, preAuth);
    // The pre-auth token is single use: the instance dropped it.
    await assert.rejects(api.exchangeKey(), AuthError);
    await assert.rejects(xqClient(xq).codeValidate("123456"), AuthError);
  });
});

Deno.test("authorizeUser and authorizeAlias reject bad users with the server's reason", async () => {
  await withXq(async (xq) => {
    const error = await xqClient(xq).authorizeUser("invalidUserString").catch((e) => e);
    assert.ok(error instanceof XqError);
    assert.equal(error.status, 400);
    assert.match(error.message, /Access request for "invalidUserString" failed.*Invalid user/);
    await assert.rejects(xqClient(xq).authorizeUser("  "), UsageError);

    const alias = xqClient(xq);
    const token = await alias.authorizeAlias("reports-bot", { firstName: "Bot", lastName: "R" });
    assert.ok(token.startsWith("eyJ"));
    assert.ok(alias.isAuthenticated);
    const refused = await xqClient(xq).authorizeAlias("has space").catch((e) => e);
    assert.ok(refused instanceof XqError);
    assert.equal(refused.status, 400);
    await assert.rejects(xqClient(xq).authorizeAlias(""), UsageError);
  });
});

Deno.test("createPacket then storePacket gives a locator the recipient can fetch", async () => {
  await withXq(async (xq) => {
    const sender = xqClient(xq);
    await sender.authorizeAlias("sender");
    const packet = await sender.createPacket(["reader@example.com"], ".1abc", {
      expiresHours: 2,
      subject: "Q3",
    });
    const token = await sender.storePacket(packet);
    assert.equal(token.length, 43);
    const reader = await signInUser(xq, "reader@example.com");
    assert.equal(await reader.fetchKey(token), ".1abc");

    await assert.rejects(xqClient(xq).createPacket(["a@example.com"], "k"), AuthError);
    const bad = await sender.createPacket(["not an email"], "k").catch((e) => e);
    assert.ok(bad instanceof XqError);
    assert.match(bad.message, /^Packet creation failed \(HTTP 400.*Invalid recipient/);
    const bogus = await sender.storePacket("not-a-packet").catch((e) => e);
    assert.ok(bogus instanceof XqError);
    assert.equal(bogus.status, 400);
    await assert.rejects(sender.createPacket([], "k"), UsageError);
    await assert.rejects(
      sender.createPacket(["a@example.com"], "k", { expiresHours: 0 }),
      UsageError,
    );
  });
});

Deno.test("createAndStorePacket: recipient and sender read, others are refused, expiry ends it", async () => {
  await withXq(async (xq) => {
    const sender = xqClient(xq);
    await sender.authorizeAlias("sender");
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      tokens.push(
        await sender.createAndStorePacket(["reader@example.com"], `.1key${i}`, {
          expiresHours: 1,
        }),
      );
    }
    for (const t of tokens) assert.equal(t.length, 43);
    // Tokens are standard base64: some hold '+' or '/', which must survive URL encoding.
    assert.ok(tokens.some((t) => /[+/]/.test(t)), "expected a token with URL-special characters");
    const reader = await signInUser(xq, "reader@example.com");
    for (let i = 0; i < tokens.length; i++) {
      assert.equal(await reader.fetchKey(tokens[i]), `.1key${i}`);
    }
    assert.equal(await sender.fetchKey(tokens[0]), ".1key0");

    const stranger = await signInUser(xq, "stranger@example.com");
    const refused = await stranger.fetchKey(tokens[0]).catch((e) => e);
    assert.ok(refused instanceof XqError);
    assert.equal(refused.status, 403);
    assert.match(refused.message, /^Packet retrieval failed.*not a recipient/);

    const unknown = await reader.fetchKey("A".repeat(43)).catch((e) => e);
    assert.equal(unknown.status, 404);

    xq.advance(61 * 60_000);
    const expired = await reader.fetchKey(tokens[0]).catch((e) => e);
    assert.ok(expired instanceof XqError);
    assert.equal(expired.status, 410);
    assert.match(expired.message, /expired/);
  });
});

Deno.test("createAndStorePackets returns tokens in key order; fetchKeys returns only released keys", async () => {
  await withXq(async (xq) => {
    const sender = xqClient(xq);
    await sender.authorizeAlias("sender");
    const keys = [".1first", ".1second", ".1third"];
    const tokens = await sender.createAndStorePackets(["bot@alias.local"], keys, {
      subject: "batch",
      meta: "export 2026-11",
    });
    assert.equal(tokens.length, 3);
    assert.equal(new Set(tokens).size, 3);
    const bot = xqClient(xq);
    await bot.authorizeAlias("bot");
    for (let i = 0; i < keys.length; i++) assert.equal(await bot.fetchKey(tokens[i]), keys[i]);
    const map = await bot.fetchKeys(tokens);
    assert.deepEqual(tokens.map((t) => map.get(t)), keys);

    // An alias is not its plain-email namesake, and vice versa.
    const other = xqClient(xq);
    await other.authorizeAlias("someone-else");
    assert.equal((await other.fetchKeys(tokens)).size, 0);
    await assert.rejects(sender.createAndStorePackets(["bot@alias.local"], []), UsageError);
    const bad = await sender.createAndStorePackets(["x y"], [".1k"]).catch((e) => e);
    assert.match(bad.message, /^Packet creation failed/);
  });
});

Deno.test("revokeKey lets only the sender revoke; a revoked key is not found", async () => {
  await withXq(async (xq) => {
    const sender = xqClient(xq);
    await sender.authorizeAlias("sender");
    const token = await sender.createAndStorePacket(["bot@alias.local"], ".1k");
    const bot = xqClient(xq);
    await bot.authorizeAlias("bot");
    const notSender = await bot.revokeKey(token).catch((e) => e);
    assert.equal(notSender.status, 403);
    await sender.revokeKey(token);
    const gone = await bot.fetchKey(token).catch((e) => e);
    assert.equal(gone.status, 404);
  });
});

Deno.test("an unreachable service is a NetworkError naming the URL, not a secret", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const api = new XqApi({
    apiKey: "secret-api-key-987",
    subscriptionUrl: `http://127.0.0.1:${port}/v2`,
    env: () => undefined,
    attempts: 1,
  });
  const error = await api.validateApiKey().catch((e) => e);
  assert.ok(error instanceof NetworkError);
  assert.match(error.message, new RegExp(`127.0.0.1:${port}/v2/apikey`));
  assertNoSecret(error, ["secret-api-key-987"]);
});

Deno.test("an access token can be handed to another instance (accessToken, setAccessToken)", async () => {
  await withXq(async (xq) => {
    const first = xqClient(xq);
    const token = await first.authorizeAlias("bot");
    const locator = await first.createAndStorePacket(["bot@alias.local"], ".1shared");
    const second = xqClient(xq, { accessToken: token });
    assert.ok(second.isAuthenticated);
    assert.equal(await second.fetchKey(locator), ".1shared");
    const third = xqClient(xq);
    assert.throws(() => third.setAccessToken("  "), UsageError);
    third.setAccessToken(token);
    assert.equal(await third.fetchKey(locator), ".1shared");
    third.setAccessToken("not-a-real-token");
    const refused = await third.fetchKey(locator).catch((e) => e);
    assert.equal(refused.status, 401);
    assertNoSecret(refused, ["not-a-real-token", token]);
  });
});
