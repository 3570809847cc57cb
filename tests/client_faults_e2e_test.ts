import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import { createTransport } from "../client/transport/transport.ts";
import { NetworkError, TimeoutError } from "../client/errors.ts";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

/** An AsApi on the sandbox whose pauses are recorded instead of waited. */
function recordingApi(asUrl: string, extra: ConstructorParameters<typeof AsApi>[0] = {}) {
  const sleeps: number[] = [];
  const api = new AsApi({
    url: asUrl,
    env: () => undefined,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...extra,
  });
  return { api, sleeps };
}

const ORGS_ROUTE = "GET /account-server-api/organisation";

Deno.test("e2e faults: GETs survive 503s, 429 with Retry-After, drops and truncation", async () => {
  await withSandbox(async ({ sb, admin }) => {
    const { api, sleeps } = recordingApi(sb.asUrl, { backoff: { random: () => 1 } });

    sb.setFaults({
      rules: [{ methods: ["GET"], path: "/organisation", kind: "status", status: 503, times: 2 }],
    });
    sb.resetStats();
    ok(await api.getOrganisations(admin), "after two 503s");
    assert.equal(sb.stats().byRoute[ORGS_ROUTE], 3);
    assert.deepEqual(sleeps, [300, 600], "exponential backoff between attempts");

    sleeps.length = 0;
    sb.setFaults({
      rules: [{ path: "/organisation", kind: "status", status: 429, retryAfterS: 1, times: 1 }],
    });
    ok(await api.getOrganisations(admin), "after a 429");
    assert.deepEqual(sleeps, [1000], "Retry-After: 1 is obeyed exactly");

    for (const kind of ["drop", "truncate"] as const) {
      sb.setFaults({ rules: [{ methods: ["GET"], path: "/organisation", kind, times: 1 }] });
      sb.resetStats();
      ok(await api.getOrganisations(admin), `after a ${kind}`);
      assert.equal(sb.stats().byRoute[ORGS_ROUTE], 2, kind);
      assert.equal(sb.stats().faultsInjected, 1, kind);
    }
  });
});

Deno.test("e2e faults: persistent 503s end in a failed ApiRv after all attempts", async () => {
  await withSandbox(async ({ sb, admin }) => {
    const { api, sleeps } = recordingApi(sb.asUrl, { attempts: 4 });
    sb.setFaults({ rules: [{ path: "/unit", kind: "status", status: 503 }] });
    sb.resetStats();
    const error = failed(await api.getAvailableUnits(admin), 503, "units behind 503s");
    assert.match(error, /Sandbox fault: injected 503/);
    assert.equal(sb.stats().byRoute["GET /account-server-api/unit"], 4);
    assert.equal(sleeps.length, 3);
  });
});

Deno.test("e2e faults: POST and PATCH are attempted exactly once", async () => {
  await withSandbox(async ({ sb, admin, user }) => {
    const { api, sleeps } = recordingApi(sb.asUrl);
    sb.setFaults({
      rules: [{ methods: ["POST"], path: "/organisation", kind: "status", status: 503 }],
    });
    sb.resetStats();
    failed(
      await api.createOrganisation(admin, { orgName: "Once", orgOwner: "ada.lovelace" }),
      503,
      "post",
    );
    assert.equal(sb.stats().byRoute["POST /account-server-api/organisation"], 1);

    // A dropped answer to a POST is not retried either: the organisation WAS created, and a
    // second attempt would have made a duplicate (or a confusing 400).
    sb.setFaults({ rules: [{ methods: ["POST"], path: "/organisation", kind: "drop" }] });
    sb.resetStats();
    const dropped = await api.createOrganisation(admin, {
      orgName: "Dropped",
      orgOwner: "ada.lovelace",
    });
    assert.equal(dropped.success, false);
    assert.equal(dropped.httpStatusCode, 0);
    assert.equal(sb.stats().byRoute["POST /account-server-api/organisation"], 1);
    assert.ok([...sb.state.orgs.values()].some((o) => o.name === "Dropped"));

    sb.setFaults({});
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Patchable", orgOwner: "ada.lovelace" }),
    );
    sb.setFaults({ rules: [{ methods: ["PATCH"], kind: "status", status: 502 }] });
    sb.resetStats();
    failed(await api.alterOrganisation(user, { orgId: org.id, name: "New" }), 502, "patch");
    const patches = Object.entries(sb.stats().byRoute).filter(([route]) =>
      route.startsWith("PATCH ")
    );
    assert.deepEqual(patches.map(([, n]) => n), [1]);
    assert.equal(sleeps.length, 0);
  });
});

Deno.test("e2e faults: a slow body hits the timeout with a clear message", async () => {
  await withSandbox(async ({ sb, admin }) => {
    sb.setFaults({ rules: [{ path: "/user/account", kind: "slow-body", delayMs: 1500 }] });
    const { api } = recordingApi(sb.asUrl, { timeoutS: 0.2, attempts: 2 });
    const rv = await api.getAccount(admin);
    const error = failed(rv, 0, "slow body");
    assert.match(
      error,
      /^Failed getting account: GET http:\/\/127\.0\.0\.1:\d+\/account-server-api\/user\/account timed out after 0\.2 s waiting for the first body chunk \(0 (of \d+ )?bytes received, 2 attempts\)/,
    );
    assert.match(error, /raise timeoutS/);

    // The transport itself classifies it as a TimeoutError (a NetworkError) with the URL.
    const http = createTransport({ timeoutS: 0.2, attempts: 1 });
    const res = await http.request({
      method: "GET",
      url: `${sb.asUrl}/user/account`,
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.ok(res.error instanceof TimeoutError);
    assert.ok(res.error instanceof NetworkError);
    assert.equal(res.error.url, `${sb.asUrl}/user/account`);
    assert.ok(!res.error.message.includes(admin));
  });
});

Deno.test("e2e faults: Retry-After beyond the cap gives up at once", async () => {
  await withSandbox(async ({ sb, admin }) => {
    const { api, sleeps } = recordingApi(sb.asUrl, { maxRetryAfterS: 2 });
    sb.setFaults({ rules: [{ path: "/product", kind: "status", status: 503, retryAfterS: 60 }] });
    sb.resetStats();
    failed(await api.getAvailableProducts(admin), 503, "long Retry-After");
    assert.equal(sleeps.length, 0);
    assert.equal(sb.stats().byRoute["GET /account-server-api/product"], 1);
  });
});

Deno.test("e2e faults: a charges body trickled over 6 s arrives whole under the 4 s read timeout", async () => {
  await withSandbox(async ({ sb, admin }) => {
    const product = [...sb.state.products.values()].find((p) =>
      p.hasDemoCharges && !sb.state.units.get(p.unitId)?.personal
    );
    assert.ok(product, "a demo product with charges");
    const lines: string[] = [];
    // The default read timeout (4 s, the Python client's) and default deadline: nothing set.
    const api = new AsApi({ url: sb.asUrl, env: () => undefined, log: (l) => lines.push(l) });
    const clean = ok(await api.getProductCharges(admin, { productId: product.id }), "clean");
    assert.ok(JSON.stringify(clean).length > 1000, "a body worth trickling");

    sb.setFaults({
      rules: [{
        methods: ["GET"],
        path: "/charges/product/*",
        kind: "trickle",
        // Longer than the default 4 s read timeout, which applies to each wait, not the body.
        durationMs: 6_000,
      }],
    });
    sb.resetStats();
    lines.length = 0;
    const slow = ok(await api.getProductCharges(admin, { productId: product.id }), "trickled");
    assert.deepEqual(slow, clean, "the same answer, only slower");
    assert.equal(sb.stats().faultsInjected, 1, "the body was trickled");
    const charges = Object.entries(sb.stats().byRoute)
      .filter(([route]) => route.startsWith("GET /account-server-api/charges/product/"));
    assert.deepEqual(charges.map(([, n]) => n), [1], "one attempt, no retry");
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0], / -> 200 attempt 1\/3 \d+ ms$/);
  });
});

Deno.test("e2e faults: deadlineS still ends a trickling body, with a message saying so", async () => {
  await withSandbox(async ({ sb, admin }) => {
    const product = [...sb.state.products.values()].find((p) => p.hasDemoCharges);
    assert.ok(product, "a demo product with charges");
    sb.setFaults({ rules: [{ path: "/charges/product/*", kind: "trickle", durationMs: 10_000 }] });
    sb.resetStats();
    const api = new AsApi({ url: sb.asUrl, env: () => undefined, deadlineS: 1 });
    const error = failed(await api.getProductCharges(admin, { productId: product.id }), 0);
    assert.match(
      error,
      /GET http:\/\/127\.0\.0\.1:\d+\/account-server-api\/charges\/product\/product-[0-9a-f-]+ timed out when the 1 s deadline ran out while reading the body \(\d+ of \d+ bytes received\): the body was still arriving; raise deadlineS/,
    );
    assert.ok(!error.includes(admin), "no token in the message");
    assert.equal(sb.stats().faultsInjected, 1, "no retry after the deadline");
  });
});
