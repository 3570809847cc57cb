/**
 * Checks an answer's body against its schema and, when it does not fit, says where and
 * how in one short line: the first bad JSON path (`products[3].charges[0].coins`) and
 * `expected X, got Y`. Values are never shown whole: a type name, or a short quote of a
 * bad string or number.
 *
 * @module
 */

import type { z } from "zod";
import { redact } from "../redact.ts";

/** The raw answer as the transport read it. */
export interface RawAnswer {
  /** The decoded body: JSON value, raw text when it was not JSON, `undefined` when empty. */
  body: unknown;
  /** The body's text (`""` when empty). */
  text: string;
  /** The `Content-Type` header (`""` when absent). */
  contentType: string;
}

/** Where and how a body failed its schema. */
export interface BodyProblem {
  /** The first bad JSON path, e.g. `storage_charges.items[3].coins` (`""` for the body). */
  path: string;
  /** What was wrong there, e.g. `expected object, got number`. */
  problem: string;
}

/** The outcome of {@link checkAnswer}. */
export type Checked<T> = { ok: true; value: T } | ({ ok: false } & BodyProblem);

/**
 * Parses `answer` with `schema`. An empty body, a body that is not JSON (an HTML page, plain
 * text), or JSON that does not fit gives the first problem; otherwise the parsed value, with
 * unknown fields kept.
 */
export function checkAnswer<T>(schema: z.ZodType<T>, answer: RawAnswer): Checked<T> {
  const { body, text, contentType } = answer;
  if (body === undefined) {
    return { ok: false, path: "", problem: "expected a JSON object, got an empty body" };
  }
  if (typeof body === "string" && !/^\s*"/.test(text)) {
    return {
      ok: false,
      path: "",
      problem: `expected a JSON object, got ${pageKind(text, contentType)}`,
    };
  }
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, ...firstProblem(result.error.issues, body) };
}

/**
 * Checks the answer of an endpoint documented without a body (204, PATCH 200, add-user
 * 201). Nothing, or any JSON (a newer server may say more), is fine; an HTML page or plain
 * text is not: a proxy's sign-in page answered with 200 must never count as "done".
 */
export function checkNoBody(answer: RawAnswer): Checked<undefined> {
  const { body, text, contentType } = answer;
  if (body === undefined || typeof body !== "string" || /^\s*"/.test(text)) {
    return { ok: true, value: undefined };
  }
  return { ok: false, path: "", problem: `expected no body, got ${pageKind(text, contentType)}` };
}

/** "an HTML page" or "plain text", with the content type when there is one. */
function pageKind(text: string, contentType: string): string {
  const type = contentType ? ` (Content-Type: ${contentType.split(";")[0].trim()})` : "";
  const what = /html/i.test(contentType) || /^\s*</.test(text) ? "an HTML page" : "plain text";
  return `${what}${type}`;
}

/** A zod issue as this module reads it (the fields it uses, all optional but `path`). */
interface Issue {
  code?: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
  format?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  errors?: Issue[][];
  params?: Record<string, unknown>;
}

/**
 * The first issue of a failed parse as a path and a problem. `root` is the parsed value,
 * used to show what was found at the path.
 */
export function firstProblem(issues: readonly Issue[], root: unknown): BodyProblem {
  return describe(issues[0], [], root);
}

function describe(issue: Issue, prefix: PropertyKey[], root: unknown): BodyProblem {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors && issue.errors.length > 0) {
    return describe(pickBranch(issue.errors)[0], path, root);
  }
  const value = valueAt(root, path);
  return { path: formatPath(path), problem: problemOf(issue, value) };
}

/**
 * The union member the value was meant to be: a member that failed only because the value
 * is of another variant (an issue flagged `params.variant`, see `productOfType`) is skipped;
 * of the rest, the one with the fewest issues.
 */
function pickBranch(branches: Issue[][]): Issue[] {
  const meant = branches.filter((list) =>
    list.length > 0 && !list.some((i) => i.code === "custom" && i.params?.variant === true)
  );
  const pool = meant.length > 0 ? meant : branches.filter((list) => list.length > 0);
  return pool.reduce((best, list) => (list.length < best.length ? list : best));
}

function problemOf(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected = issue.expected === "int" ? "integer" : issue.expected ?? "another type";
      const got = issue.expected === "int" && typeof value === "number"
        ? String(value)
        : typeName(value);
      return `expected ${expected}, got ${got}`;
    }
    case "invalid_format": {
      const expected = issue.message.startsWith("expected")
        ? issue.message
        : `expected a ${issue.format ?? "well-formed"} string`;
      return `${expected}, got ${quote(value)}`;
    }
    case "invalid_value": {
      const values = (issue.values ?? []).map((v) => JSON.stringify(v));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(", ")}`;
      return `expected ${expected}, got ${quote(value)}`;
    }
    case "too_small":
      return `expected at least ${issue.minimum}, got ${quote(value)}`;
    case "too_big":
      return `expected at most ${issue.maximum}, got ${quote(value)}`;
    default:
      return `${issue.message}, got ${quote(value)}`;
  }
}

/**
 * A JSON path in the usual notation: `products[3].charges[0].coins`; keys that are not
 * plain identifiers are quoted (`additional_data["peak bytes"]`); `""` for the root.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += `${out ? "." : ""}${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The JSON type of a value, `nothing` for a missing one. */
function typeName(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** A short, redacted rendering of a primitive; the type name of anything else. */
function quote(value: unknown): string {
  if (typeof value === "string") {
    const safe = redact(value);
    return JSON.stringify(safe.length > 40 ? `${safe.slice(0, 40)}…` : safe);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeName(value);
}
