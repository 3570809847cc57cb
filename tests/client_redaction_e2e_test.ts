import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { tokenSourceFromEnv } from "../client/keycloak/token_env.ts";
import { withSandbox } from "./fixtures/client_e2e_helpers.ts";

/** A fetch that remembers every token Keycloak hands out, so the test knows what to look for. */
function teeTokens(secrets: Set<string>): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    if (!(res.headers.get("content-type") ?? "").includes("json")) return res;
    const text = await res.text();
    try {
      const body = JSON.parse(text);
      for (const key of ["access_token", "refresh_token", "id_token"]) {
        if (typeof body[key] === "string") secrets.add(body[key]);
      }
    } catch { /* not JSON: nothing to remember */ }
    return new Response(text, { status: res.status, headers: res.headers });
  }) as typeof fetch;
}

Deno.test("e2e redaction: no token, refresh token, password or secret in logs or errors", async () => {
  await withSandbox(async ({ sb }) => {
    const secrets = new Set<string>([
      sb.clientSecret,
      sb.adminKey,
      ...sb.users.map((u) => u.password),
    ]);
    const lines: string[] = [];
    const texts: string[] = [];
    const log = (line: string) => lines.push(line);
    const keycloak = (username: string, extra = {}) =>
      new KeycloakTokenSource({
        keycloakUrl: sb.keycloakUrl,
        realm: sb.realm,
        clientId: sb.clientId,
        clientSecret: sb.clientSecret,
        username,
        password: sb.users.find((u) => u.username === username)!.password,
        fetch: teeTokens(secrets),
        log,
        sleep: () => Promise.resolve(),
        ...extra,
      });

    // Debug logging switched on through the environment, as a user would.
    const env: Record<string, string> = {
      SQUONK2_ASAPI_URL: sb.asUrl,
      SQUONK2_API_DEBUG_REQUESTS: "YES",
    };
    const original = console.error;
    console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
    try {
      const api = new AsApi({ env: (n) => env[n], sleep: () => Promise.resolve() });
      let offset = 0;
      const ada = keycloak("ada.lovelace", { now: () => Date.now() + offset });
      const token = await ada.getToken();
      offset = 20_000; // past the refresh point of a 30 s token: uses the refresh token
      const refreshed = await ada.getToken();
      assert.notEqual(refreshed, token);
      const admin = await keycloak("sandbox-admin").getToken();

      const record = (rv: { success: boolean; msg: unknown }) => {
        texts.push(JSON.stringify(rv.msg));
      };
      record(await api.getAccount(refreshed));
      record(
        await api.getOrganisation(refreshed, { orgId: "org-00000000-0000-4000-8000-000000000000" }),
      );
      record(await api.getCharges(refreshed));
      record(await api.getAccount("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.forged-signature"));
      sb.setFaults({
        rules: [
          { path: "/unit", kind: "status", status: 503, times: 2 },
          { path: "/product", kind: "drop", times: 1 },
          { path: "/merchant", kind: "truncate", times: 1 },
          { path: "/user/account", kind: "slow-body", delayMs: 1000, times: 3 },
          { target: "keycloak", kind: "status", status: 500, times: 1 },
        ],
      });
      record(await api.getAvailableUnits(admin));
      record(await api.getAvailableProducts(admin));
      record(await api.getMerchants(admin));
      record(await api.getAccount(admin, { timeoutS: 0.3 })); // slow body: times out
      record(
        await api.createOrganisation(admin, { orgName: "Redacted", orgOwner: "ada.lovelace" }),
      );
      // The Keycloak 500 is retried once by the token source.
      const chen = await keycloak("chen.wei").getToken();
      record(await api.getPersonalUnit(chen));
      sb.setFaults({});

      for (
        const src of [
          keycloak("ada.lovelace", { password: "wrong-password-123" }),
          keycloak("grace_hopper", { clientSecret: "wrong-client-secret" }),
          new KeycloakTokenSource({
            keycloakUrl: sb.keycloakUrl,
            realm: "missing",
            clientId: sb.clientId,
            clientSecret: sb.clientSecret,
            log,
          }),
        ]
      ) {
        await src.getToken().then(
          () => texts.push("unexpected success"),
          (e: Error) => texts.push(e.message),
        );
      }
      secrets.add("wrong-password-123");
      secrets.add("wrong-client-secret");
      const missing = await Promise.resolve()
        .then(() =>
          tokenSourceFromEnv((n) => ({ SQUONK2_KEYCLOAK_USER_PASSWORD: "lonely-password" })[n])
        )
        .then(() => "no error", (e: Error) => e.message);
      texts.push(missing);
      secrets.add("lonely-password");
    } finally {
      console.error = original;
    }

    assert.ok(lines.length >= 15, `expected many log lines, got ${lines.length}`);
    assert.ok(lines.some((l) => l.startsWith("[as] GET")));
    assert.ok(lines.some((l) => l.startsWith("[keycloak] POST")));
    assert.ok(lines.some((l) => /-> 500 attempt 1\/2/.test(l)), "Keycloak fault seen");
    assert.ok(lines.some((l) => /-> 200 invalid-body attempt 1\/3/.test(l)), "truncation logged");
    assert.ok(texts.some((t) => /timed out/.test(t)));
    assert.ok(secrets.size >= 10, "tokens were captured");
    for (const text of [...lines, ...texts]) {
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 120)}`);
      }
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\./.test(text), `a JWT leaked into: ${text.slice(0, 120)}`);
    }
  }, { sandbox: { tokenLifetimeS: 30 } });
});
