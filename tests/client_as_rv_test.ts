import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import { type ApiRv, rvFailure, unwrap } from "../client/as/api_rv.ts";
import { ApiError, NetworkError, ProtocolError, TimeoutError } from "../client/errors.ts";

const TOKEN = "rv-test-token-0123456789";

function api(fetchFn: typeof fetch, extra: ConstructorParameters<typeof AsApi>[0] = {}) {
  return new AsApi({
    url: "http://as.test/api",
    env: () => undefined,
    fetch: fetchFn,
    sleep: () => Promise.resolve(),
    attempts: 1,
    ...extra,
  });
}

/** A fetch that never answers until the transport's timer aborts it. */
const hanging =
  ((_input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
    })) as typeof fetch;

/** Runs `fn`, which must throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

Deno.test("ApiRv: the classified error is a non-enumerable property; the JSON is unchanged", async () => {
  const client = api(() =>
    Promise.resolve(Response.json({ error: "Unit u not found" }, { status: 404 }))
  );
  const rv = await client.getUnit(TOKEN, { unitId: "u" });
  assert.deepEqual(rv, { success: false, msg: { error: "Unit u not found" }, httpStatusCode: 404 });
  assert.equal(
    JSON.stringify(rv),
    '{"success":false,"msg":{"error":"Unit u not found"},"httpStatusCode":404}',
  );
  assert.deepEqual(Object.keys(rv), ["success", "msg", "httpStatusCode"]);
  assert.ok(!rv.success);
  assert.ok(rv.error instanceof ApiError);
  assert.ok(!(rv.error instanceof NetworkError));
  assert.equal(rv.error.status, 404);
  assert.equal(rv.error.serverMessage, "Unit u not found");
  assert.equal(rv.error.url, "http://as.test/api/unit/u");
  assert.equal({ ...rv }.error, undefined, "spreading drops it");
});

Deno.test("ApiRv: a timeout carries a TimeoutError that unwrap rethrows as the same instance", async () => {
  const rv = await api(hanging, { timeoutS: 0.05 }).getAccount(TOKEN);
  assert.equal(rv.success, false);
  assert.equal(rv.httpStatusCode, 0);
  assert.deepEqual(Object.keys(rv), ["success", "msg", "httpStatusCode"]);
  const error = thrown(() => unwrap(rv));
  assert.ok(error instanceof TimeoutError, String(error));
  assert.ok(error instanceof NetworkError);
  assert.equal(error, (rv as { error?: unknown }).error, "the same instance");
  assert.equal(error.status, 0);
  assert.match(
    error.message,
    /^AsApi\.getAccount failed \(no response\): Failed getting account: GET http:\/\/as\.test\/api\/user\/account timed out/,
  );
  assert.ok(!error.message.includes(TOKEN));
});

Deno.test("ApiRv: a network failure carries a NetworkError", async () => {
  const refused = (() => Promise.reject(new TypeError("Connection refused"))) as typeof fetch;
  const rv = await api(refused).getMerchants(TOKEN);
  const error = thrown(() => unwrap(rv, "List merchants"));
  assert.ok(error instanceof NetworkError);
  assert.ok(!(error instanceof TimeoutError));
  assert.equal(error, (rv as { error?: unknown }).error);
});

Deno.test("ApiRv: unwrap rethrows a ProtocolError instance and puts `what` in its message", async () => {
  const empty = (() => Promise.resolve(new Response(null, { status: 200 }))) as typeof fetch;
  const rv = await api(empty).getOrganisationCharges(TOKEN, { orgId: "org-1" });
  assert.ok(!rv.success);
  const original = rv.error;
  assert.ok(original instanceof ProtocolError);
  const error = thrown(() => unwrap(rv, "Get charges of organisation org-1"));
  assert.equal(error, original, "the same instance");
  assert.ok(error instanceof ProtocolError);
  const expected =
    "Get charges of organisation org-1 failed (malformed answer): getOrganisationCharges: " +
    "AS answered GET /charges/organisation/org-1 with a body that is not " +
    "OrganisationChargesGetResponse: expected a JSON object, got an empty body";
  assert.equal(error.message, expected);
  assert.ok(error.stack?.startsWith(`ProtocolError: ${expected}`), "the stack says the same");
  assert.equal(error.path, "");
  assert.equal(error.schema, "OrganisationChargesGetResponse");
  // Unwrapping again does not repeat the context.
  const again = thrown(() => unwrap(rv, "Get charges of organisation org-1"));
  assert.equal((again as Error).message, expected);
  // The ApiRv itself still looks like the Python one.
  assert.deepEqual(JSON.parse(JSON.stringify(rv)), {
    success: false,
    msg: { error: rv.msg.error },
    httpStatusCode: 200,
  });
});

Deno.test("ApiRv: an HTTP failure unwraps to its ApiError with the same text as before", async () => {
  const forbidden =
    (() =>
      Promise.resolve(Response.json({ error: "Not a member" }, { status: 403 }))) as typeof fetch;
  const rv = await api(forbidden).getUnitCharges(TOKEN, { unitId: "unit-1" });
  const error = thrown(() => unwrap(rv, "Get charges of unit unit-1"));
  assert.ok(error instanceof ApiError);
  assert.equal(error.message, "Get charges of unit unit-1 failed (HTTP 403): Not a member");
  assert.equal(error.status, 403);
  const bare = await api(forbidden).getUnitCharges(TOKEN, { unitId: "unit-1" });
  assert.equal(
    (thrown(() => unwrap(bare)) as Error).message,
    "AsApi.getUnitCharges failed (HTTP 403): Not a member",
  );
});

Deno.test("ApiRv: a hand-made failure still unwraps to an ApiError", () => {
  const rv: ApiRv<{ id: string }> = {
    success: false,
    msg: { error: "Unit missing" },
    httpStatusCode: 404,
  };
  const error = thrown(() => unwrap(rv, "Get unit"));
  assert.ok(error instanceof ApiError);
  assert.ok(!(error instanceof ProtocolError));
  assert.equal(error.message, "Get unit failed (HTTP 404): Unit missing");
  assert.equal(error.status, 404);
  assert.equal(error.serverMessage, "Unit missing");
  const none = thrown(() => unwrap({ success: false, msg: { error: "down" }, httpStatusCode: 0 }));
  assert.equal((none as Error).message, "Account Server call failed (no response): down");
  assert.deepEqual(unwrap({ success: true, msg: { id: "x" }, httpStatusCode: 200 }), { id: "x" });
});

Deno.test("ApiRv: rvFailure attaches the error without changing the JSON", () => {
  const cause = new ApiError("boom", { status: 500 });
  const rv = rvFailure(500, "boom", cause);
  assert.equal(JSON.stringify(rv), '{"success":false,"msg":{"error":"boom"},"httpStatusCode":500}');
  assert.equal(rv.error, cause);
  assert.equal(Object.getOwnPropertyDescriptor(rv, "error")?.enumerable, false);
  assert.equal(thrown(() => unwrap(rv)), cause);
});

Deno.test("ApiRv: no URL is a failure carrying an ApiError with status 0", async () => {
  const client = new AsApi({ env: () => undefined });
  const rv = await client.getVersion();
  assert.ok(!rv.success);
  assert.ok(rv.error instanceof ApiError);
  assert.equal(rv.error.status, 0);
});
