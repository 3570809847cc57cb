import assert from "node:assert/strict";
import { asConfigFromEnv, isYes, tlsWarning, trimBaseUrl } from "../client/as/config.ts";
import { checkPbp, periodQuery, toIsoDay } from "../client/as/periods.ts";
import { UsageError } from "../client/errors.ts";

Deno.test("config: environment rules of the Python client", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.deepEqual(asConfigFromEnv(env({})), {
    url: "",
    verifySslCert: true,
    debugRequests: false,
  });
  assert.deepEqual(
    asConfigFromEnv(env({
      SQUONK2_ASAPI_URL: " https://h/account-server-api// ",
      SQUONK2_ASAPI_VERIFY_SSL_CERT: "no",
      SQUONK2_API_DEBUG_REQUESTS: "yEs",
    })),
    { url: "https://h/account-server-api", verifySslCert: false, debugRequests: true },
  );
  assert.equal(
    asConfigFromEnv(env({ SQUONK2_ASAPI_VERIFY_SSL_CERT: "true" })).verifySslCert,
    false,
  );
  assert.equal(asConfigFromEnv(env({ SQUONK2_ASAPI_VERIFY_SSL_CERT: "YES" })).verifySslCert, true);
  assert.equal(isYes(" Yes "), true);
  assert.equal(isYes("y"), false);
  assert.equal(trimBaseUrl("http://x/api///"), "http://x/api");
});

Deno.test("config: TLS warning names the host and the flag; none for http", () => {
  assert.equal(tlsWarning("http://localhost:8080/api"), undefined);
  const w = tlsWarning("https://as.example.org/account-server-api");
  assert.match(w!, /--unsafely-ignore-certificate-errors=as\.example\.org/);
  assert.match(w!, /DENO_CERT/);
});

Deno.test("config: the flag is detected when Deno runs with it", async () => {
  const code = `import { ignoresCertificateErrors as f } from "${
    new URL("../client/as/config.ts", import.meta.url).href
  }"; console.log(JSON.stringify([f("as.example"), f("other.example")]));`;
  const run = async (flag: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", ...flag, code],
      stdout: "piped",
      stderr: "null",
    }).output();
    return JSON.parse(new TextDecoder().decode(out.stdout));
  };
  assert.deepEqual(await run(["--unsafely-ignore-certificate-errors=as.example"]), [true, false]);
  assert.deepEqual(await run(["--unsafely-ignore-certificate-errors"]), [true, true]);
  assert.deepEqual(await run([]), [false, false]);
});

Deno.test("periods: dates, pbp and their combinations", () => {
  assert.equal(toIsoDay("2024-02-29"), "2024-02-29");
  assert.equal(toIsoDay(new Date("2026-11-30T00:00:00Z")), "2026-11-30");
  assert.throws(() => toIsoDay(new Date("2026-11-30T23:59:59Z")), /YYYY-MM-DD/);
  assert.throws(() => toIsoDay("2025-02-29", "from"), /Invalid from date "2025-02-29"/);
  assert.throws(() => toIsoDay("1 December 2021"), UsageError);
  assert.throws(() => toIsoDay(new Date("nope")), UsageError);
  assert.equal(checkPbp(undefined), undefined);
  assert.equal(checkPbp(-23), -23);
  for (const bad of [1, -24, 0.5, Number.NaN]) assert.throws(() => checkPbp(bad), UsageError);
  assert.throws(() => checkPbp("-1" as unknown as number), UsageError);
  assert.deepEqual(periodQuery({ pbp: -3 }), { pbp: "-3" });
  assert.deepEqual(periodQuery({ pbp: 0 }), {});
  assert.deepEqual(periodQuery({ pbp: 0, from: "2026-01-01" }), { from: "2026-01-01" });
  assert.deepEqual(periodQuery({ until: "2026-01-01" }), { until: "2026-01-01" });
  assert.throws(
    () => periodQuery({ from: "2026-01-02", until: "2026-01-01" }),
    /from must be before until/,
  );
  assert.throws(() => periodQuery({ pbp: -1, until: "2026-01-01" }), /cannot be combined/);
});
