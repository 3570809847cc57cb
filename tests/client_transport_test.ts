import assert from "node:assert/strict";
import { createTransport, type TransportOptions } from "../client/transport/transport.ts";
import { ApiError, NetworkError, TimeoutError, UsageError, XqError } from "../client/errors.ts";
import { backoffDelayMs, parseRetryAfter } from "../client/transport/retry.ts";

const TOKEN = "tok-SECRET-abcdef123456";

type Handler = (req: Request, n: number) => Response | Promise<Response>;

/** A fetch that answers from `handler` and records every request. */
function fakeFetch(handler: Handler) {
  const calls: Request[] = [];
  const fn = ((input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    calls.push(req);
    return Promise.resolve(handler(req, calls.length));
  }) as typeof fetch;
  return { fn, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Options with a fake clock and a sleep that only records and advances it. */
function fakeTime(extra: TransportOptions = {}) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const options: TransportOptions = {
    now: () => t,
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    backoff: { random: () => 1 },
    ...extra,
  };
  return { options, sleeps, advance: (ms: number) => (t += ms) };
}

Deno.test("transport: GET 200 decodes JSON, sends query and headers", async () => {
  const f = fakeFetch(() => json(200, { version: "4.4" }));
  const http = createTransport({ fetch: f.fn });
  const res = await http.request({
    method: "GET",
    url: "http://as.test/api/version",
    query: { from: "2026-01-01", pbp: -1, skip: undefined },
    headers: { authorization: `Bearer ${TOKEN}` },
    expect: [200],
  });
  assert.equal(res.ok, true);
  assert.deepEqual(res.body, { version: "4.4" });
  assert.equal(res.attempts, 1);
  const url = new URL(f.calls[0].url);
  assert.equal(url.searchParams.get("from"), "2026-01-01");
  assert.equal(url.searchParams.get("pbp"), "-1");
  assert.equal(url.searchParams.has("skip"), false);
  assert.equal(f.calls[0].headers.get("authorization"), `Bearer ${TOKEN}`);
});

Deno.test("transport: empty body gives undefined, text body stays text", async () => {
  const f = fakeFetch((_r, n) =>
    n === 1 ? new Response(null, { status: 204 }) : new Response("pong")
  );
  const http = createTransport({ fetch: f.fn });
  const a = await http.request({ method: "DELETE", url: "http://as.test/x", expect: [204] });
  assert.equal(a.ok, true);
  assert.equal(a.body, undefined);
  const b = await http.request({ method: "GET", url: "http://as.test/y" });
  assert.equal(b.body, "pong");
});

Deno.test("transport: json body sets content-type; FormData leaves it to fetch", async () => {
  const f = fakeFetch(() => json(201, { id: "x" }));
  const http = createTransport({ fetch: f.fn });
  await http.request({ method: "POST", url: "http://as.test/o", json: { name: "a" } });
  assert.equal(f.calls[0].headers.get("content-type"), "application/json");
  assert.deepEqual(await f.calls[0].json(), { name: "a" });
  const form = new FormData();
  form.set("name", "n");
  await http.request({ method: "POST", url: "http://as.test/asset", form });
  assert.match(f.calls[1].headers.get("content-type") ?? "", /^multipart\/form-data; boundary=/);
});

Deno.test("transport: GET retries 503 then succeeds, with exponential backoff", async () => {
  const f = fakeFetch((_r, n) => n < 3 ? json(503, { error: "busy" }) : json(200, { ok: 1 }));
  const t = fakeTime({ fetch: f.fn });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/a" });
  assert.equal(res.ok, true);
  assert.equal(res.attempts, 3);
  assert.deepEqual(t.sleeps, [300, 600]);
});

Deno.test("transport: Retry-After seconds and HTTP date are obeyed exactly", async () => {
  const f = fakeFetch((_r, n) =>
    n === 1
      ? json(429, { error: "slow down" }, { "retry-after": "1" })
      : n === 2
      ? json(503, {}, { "retry-after": new Date(1_000_000 + 1000 + 5000).toUTCString() })
      : json(200, {})
  );
  const t = fakeTime({ fetch: f.fn });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/a" });
  assert.equal(res.ok, true);
  assert.equal(t.sleeps[0], 1000);
  // The HTTP date has one-second resolution; the clock moved 1000 ms already.
  assert.ok(t.sleeps[1] >= 4000 && t.sleeps[1] <= 5000, `slept ${t.sleeps[1]}`);
});

Deno.test("transport: Retry-After beyond the cap gives up with a clear message", async () => {
  const f = fakeFetch(() => json(503, { error: "maintenance" }, { "retry-after": "120" }));
  const t = fakeTime({ fetch: f.fn, maxRetryAfterS: 30 });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/a" });
  assert.equal(res.ok, false);
  assert.equal(res.attempts, 1);
  assert.equal(t.sleeps.length, 0);
  assert.ok(res.error instanceof ApiError);
  assert.equal(res.error.status, 503);
  assert.match(res.error.message, /retry after 120 s/);
  assert.match(res.error.message, /maxRetryAfterS/);
  assert.match(res.error.message, /maintenance/);
});

Deno.test("transport: POST and PATCH are attempted exactly once", async () => {
  for (const method of ["POST", "PATCH"]) {
    const f = fakeFetch(() => json(503, { error: "busy" }));
    const t = fakeTime({ fetch: f.fn });
    const res = await createTransport(t.options).request({ method, url: "http://as.test/a" });
    assert.equal(res.ok, false);
    assert.equal(f.calls.length, 1, method);
    assert.equal(res.status, 503);
  }
  const f = fakeFetch(() => Promise.reject(new TypeError("connection reset")));
  const t = fakeTime({ fetch: f.fn });
  const res = await createTransport(t.options).request({ method: "POST", url: "http://as.test/a" });
  assert.equal(f.calls.length, 1);
  assert.ok(res.error instanceof NetworkError);
});

Deno.test("transport: network errors on GET are retried, then classified", async () => {
  const f = fakeFetch(() => Promise.reject(new TypeError("tcp connect error: Connection refused")));
  const t = fakeTime({ fetch: f.fn, attempts: 4 });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/a" });
  assert.equal(f.calls.length, 4);
  assert.equal(res.status, 0);
  assert.ok(res.error instanceof NetworkError);
  assert.ok(!(res.error instanceof TimeoutError));
  assert.match(res.error.message, /^GET http:\/\/as\.test\/a failed after 4 attempts/);
  assert.match(res.error.message, /Connection refused/);
});

Deno.test("transport: 404 is not retried and keeps the server's text", async () => {
  const f = fakeFetch(() => json(404, { error: "Unit unit-1 does not exist" }));
  const t = fakeTime({ fetch: f.fn });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/u" });
  assert.equal(f.calls.length, 1);
  assert.equal(res.error?.serverMessage, "Unit unit-1 does not exist");
  assert.deepEqual(res.body, { error: "Unit unit-1 does not exist" });
});

Deno.test("transport: httpError lets another client build its own error class", async () => {
  const f = fakeFetch(() => json(401, { message: "Bad api key" }));
  const http = createTransport({ fetch: f.fn, httpError: (m, d) => new XqError(m, d) });
  const res = await http.request({ method: "GET", url: "http://xq.test/v" });
  assert.ok(res.error instanceof XqError);
  assert.equal(res.error.serverMessage, "Bad api key");
});

Deno.test("transport: a truncated JSON body on GET is retried", async () => {
  const f = fakeFetch((_r, n) =>
    n === 1
      ? new Response('{"units": [', { headers: { "content-type": "application/json" } })
      : json(200, { units: [] })
  );
  const t = fakeTime({ fetch: f.fn });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/u" });
  assert.equal(res.ok, true);
  assert.equal(res.attempts, 2);
});

Deno.test("transport: a body stream that breaks is a retried network error", async () => {
  const f = fakeFetch(() => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":'));
        c.error(new TypeError("connection closed before message completed"));
      },
    });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  });
  const t = fakeTime({ fetch: f.fn, attempts: 2 });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/u" });
  assert.equal(f.calls.length, 2);
  assert.ok(res.error instanceof NetworkError);
  assert.match(res.error.message, /connection dropped while reading the body/);
});

Deno.test("transport: a server that never answers hits the read timeout (headers)", async () => {
  const f = fakeFetch((req) =>
    new Promise((_resolve, reject) => {
      req.signal.addEventListener("abort", () => reject(req.signal.reason), { once: true });
    })
  );
  const http = createTransport({
    fetch: f.fn,
    timeoutS: 0.05,
    attempts: 2,
    sleep: () => Promise.resolve(),
  });
  const res = await http.request({
    method: "GET",
    url: "http://as.test/slow?access_token=abcdefgh",
  });
  assert.ok(res.error instanceof TimeoutError);
  assert.equal(f.calls.length, 2);
  assert.match(
    res.error.message,
    /timed out after 0\.05 s waiting for the response headers \(2 attempts\): raise timeoutS/,
  );
  assert.match(res.error.message, /http:\/\/as\.test\/slow/);
  assert.ok(!res.error.message.includes("abcdefgh"));
});

Deno.test("transport: a slow body hits the timeout too", async () => {
  const f = fakeFetch((req) => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":'));
        req.signal.addEventListener("abort", () => c.error(req.signal.reason), { once: true });
      },
    });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  });
  const http = createTransport({ fetch: f.fn, timeoutS: 0.05, retryOnTimeout: false });
  const res = await http.request({ method: "GET", url: "http://as.test/slow" });
  assert.ok(res.error instanceof TimeoutError);
  assert.equal(f.calls.length, 1);
  assert.match(
    res.error.message,
    /timed out after 0\.05 s waiting for the next body chunk \(5 bytes received\)/,
  );
});

Deno.test("transport: a fetch or a body that ignores the abort still times out", async () => {
  // A fetch that never settles and never looks at its signal.
  const hang = fakeFetch(() => new Promise<Response>(() => {}));
  const a = await createTransport({ fetch: hang.fn, timeoutS: 0.05, attempts: 1 })
    .request({ method: "GET", url: "http://as.test/hang" });
  assert.ok(a.error instanceof TimeoutError);
  assert.match(a.error.message, /after 0\.05 s waiting for the response headers/);

  // Headers at once, then a body stream that never sends and ignores the abort.
  const mute = fakeFetch(() =>
    new Response(new ReadableStream<Uint8Array>({}), {
      headers: { "content-type": "application/json", "content-length": "12" },
    })
  );
  const b = await createTransport({ fetch: mute.fn, timeoutS: 0.05, attempts: 1 })
    .request({ method: "GET", url: "http://as.test/mute" });
  assert.ok(b.error instanceof TimeoutError);
  assert.equal(b.status, 0);
  assert.match(
    b.error.message,
    /after 0\.05 s waiting for the first body chunk \(0 of 12 bytes received\)/,
  );
});

Deno.test("transport: each body chunk restarts the read timer", async () => {
  // 8 chunks 60 ms apart (~0.5 s in all) under a 0.2 s read timeout: each wait is short.
  const parts = ['{"items":[', "1,", "2,", "3,", "4,", "5,", "6", "]}"];
  const f = fakeFetch(() => {
    let i = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      pull: (c) =>
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            c.enqueue(new TextEncoder().encode(parts[i++]));
            if (i === parts.length) c.close();
            resolve();
          }, 60);
        }),
      cancel: () => clearTimeout(timer),
    });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  });
  const res = await createTransport({ fetch: f.fn, timeoutS: 0.2, attempts: 1 })
    .request({ method: "GET", url: "http://as.test/steady" });
  assert.equal(res.error, undefined, res.error?.message);
  assert.deepEqual(res.body, { items: [1, 2, 3, 4, 5, 6] });
});

Deno.test("transport: the default deadline is 300 s; Infinity means none", async () => {
  // Each attempt takes 301 s on the fake clock: no time is left for a retry.
  const slow = (t: ReturnType<typeof fakeTime>) =>
    fakeFetch(() => {
      t.advance(301_000);
      return json(503, { error: "busy" });
    });
  const t1 = fakeTime();
  const f1 = slow(t1);
  const res = await createTransport({ ...t1.options, fetch: f1.fn })
    .request({ method: "GET", url: "http://as.test/a" });
  assert.equal(f1.calls.length, 1);
  assert.equal(res.status, 503);
  assert.match(res.error!.message, /no time left before the 300 s deadline for another attempt/);

  const t2 = fakeTime();
  const f2 = slow(t2);
  const none = await createTransport({ ...t2.options, fetch: f2.fn, deadlineS: Infinity })
    .request({ method: "GET", url: "http://as.test/a" });
  assert.equal(f2.calls.length, 3);
  assert.equal(none.attempts, 3);
});

Deno.test("transport: a timeoutS or deadlineS that is not a positive number is a UsageError", async () => {
  const f = fakeFetch(() => json(200, {}));
  const http = createTransport({ fetch: f.fn });
  for (const bad of [0, -1, Number.NaN]) {
    await assert.rejects(
      () => http.request({ method: "GET", url: "http://as.test/a", timeoutS: bad }),
      (e: unknown) =>
        e instanceof UsageError && /^Invalid timeoutS .*: use a number of seconds greater than 0/
          .test(e.message),
    );
    await assert.rejects(
      () => http.request({ method: "GET", url: "http://as.test/a", deadlineS: bad }),
      (e: unknown) => e instanceof UsageError && /^Invalid deadlineS /.test(e.message),
    );
  }
  assert.equal(f.calls.length, 0, "nothing is sent");
});

Deno.test("transport: the overall deadline stops retries", async () => {
  const f = fakeFetch(() => json(503, {}));
  const t = fakeTime({ fetch: f.fn, attempts: 10, deadlineS: 1 });
  const res = await createTransport(t.options).request({ method: "GET", url: "http://as.test/a" });
  // 300 + 600 fit in 1 s, the next 1200 ms pause does not.
  assert.equal(f.calls.length, 3);
  assert.match(res.error!.message, /deadline/);
});

Deno.test("transport: a caller abort is not retried", async () => {
  const controller = new AbortController();
  const f = fakeFetch((req) =>
    new Promise((_resolve, reject) => {
      req.signal.addEventListener("abort", () => reject(req.signal.reason), { once: true });
      controller.abort();
    })
  );
  const http = createTransport({ fetch: f.fn, timeoutS: 5 });
  const res = await http.request({
    method: "GET",
    url: "http://as.test/a",
    signal: controller.signal,
  });
  assert.equal(f.calls.length, 1);
  assert.ok(res.error instanceof NetworkError);
  assert.ok(!(res.error instanceof TimeoutError));
  assert.match(res.error.message, /aborted by the caller/);
});

Deno.test("transport: one redacted log line per attempt, no token or secret", async () => {
  const lines: string[] = [];
  const f = fakeFetch((_r, n) => n === 1 ? json(502, { error: `bad ${TOKEN}` }) : json(200, {}));
  const t = fakeTime({
    fetch: f.fn,
    log: (l) => lines.push(l),
    name: "as",
    secrets: ["hunter2-pass"],
  });
  await createTransport(t.options).request({
    method: "GET",
    url: "http://as.test/a?password=hunter2-pass",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(lines.length, 2);
  assert.match(
    lines[0],
    /^\[as\] GET http:\/\/as\.test\/a\?password=\[REDACTED\] -> 502 attempt 1\/3 \d+ ms$/,
  );
  assert.match(lines[1], /-> 200 attempt 2\/3/);
  for (const l of lines) {
    assert.ok(!l.includes(TOKEN) && !l.includes("hunter2"), l);
  }
});

Deno.test("transport: a token echoed by the server never reaches the error", async () => {
  const f = fakeFetch(() => json(400, { error: `Token ${TOKEN} rejected` }));
  const http = createTransport({ fetch: f.fn });
  const res = await http.request({
    method: "POST",
    url: "http://as.test/a",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.ok(!res.error!.message.includes(TOKEN));
  assert.ok(!res.error!.serverMessage!.includes(TOKEN));
});

Deno.test("retry: backoff doubles, is capped and jittered within [half, full]", () => {
  assert.equal(backoffDelayMs(1, { random: () => 1 }), 300);
  assert.equal(backoffDelayMs(2, { random: () => 1 }), 600);
  assert.equal(backoffDelayMs(3, { random: () => 0 }), 600);
  assert.equal(backoffDelayMs(10, { random: () => 1 }), 5000);
  for (let i = 0; i < 50; i++) {
    const d = backoffDelayMs(2);
    assert.ok(d >= 300 && d <= 600);
  }
});

Deno.test("retry: parseRetryAfter reads seconds and dates, rejects junk", () => {
  const now = Date.parse("2026-11-15T12:00:00Z");
  assert.equal(parseRetryAfter("3", now), 3000);
  assert.equal(parseRetryAfter("Sun, 15 Nov 2026 12:00:10 GMT", now), 10_000);
  assert.equal(parseRetryAfter("Sun, 15 Nov 2026 11:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon-ish 12", now), undefined);
  assert.equal(parseRetryAfter("", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

Deno.test("transport: only credential headers are redacted; a bad URL is a UsageError", async () => {
  const lines: string[] = [];
  const f = fakeFetch(() =>
    json(400, { error: "Send application/json with api-key KEY-123456 please" })
  );
  const http = createTransport({
    fetch: f.fn,
    log: (l) => lines.push(l),
    headers: { "api-key": "KEY-123456" },
  });
  const res = await http.request({
    method: "POST",
    url: "http://xq.test/p",
    headers: { accept: "application/json" },
  });
  assert.equal(f.calls[0].headers.get("api-key"), "KEY-123456");
  assert.equal(res.error?.serverMessage, "Send application/json with api-key [REDACTED] please");
  assert.ok(!lines.join("\n").includes("KEY-123456"));
  await assert.rejects(() => http.request({ method: "GET", url: "not a url" }), UsageError);
});

Deno.test("transport: a fetch that throws instead of rejecting is a NetworkError, not a throw", async () => {
  const f = (() => {
    throw new TypeError("bad fetch");
  }) as typeof fetch;
  const res = await createTransport({ fetch: f, attempts: 1 })
    .request({ method: "GET", url: "http://as.test/a" });
  assert.ok(res.error instanceof NetworkError);
  assert.match(res.error.message, /no response: bad fetch/);
});
