/**
 * Reading the multipart bodies of `POST /asset` and `PATCH /asset/{id}` (reference §2.3,
 * §3.7): text fields plus an optional `content_file` part. A `content_file` part with an
 * empty file name counts as "no file" (the Python client always sends one, with an empty
 * name, when it has no file to send).
 *
 * @module
 */

import { type AsContext, badRequest } from "./http.ts";

/** The fields of an asset form, files already read as text. */
export interface AssetForm {
  /** Text fields (the last value wins when a field repeats). */
  fields: Record<string, string>;
  /** The content: from `content_string` or the `content_file` part, if either was given. */
  content?: string;
}

/** Reads a multipart (or url-encoded) asset form, answering 400 for other bodies. */
export async function readAssetForm(c: AsContext): Promise<AssetForm> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(type)) {
    throw badRequest(
      `Asset requests need a multipart/form-data body, not "${type || "no body"}": send a FormData`,
    );
  }
  let body: Record<string, string | File>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw badRequest(
      "The multipart body cannot be read: let the HTTP client build it from a FormData",
    );
  }
  const fields: Record<string, string> = {};
  let file: File | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === "string") fields[key] = value;
    else if (key === "content_file" && value.name !== "") file = value;
  }
  const fromString = fields.content_string !== undefined && fields.content_string !== "";
  if (fromString && file) {
    throw badRequest("Give content_string or content_file, not both: drop one of them");
  }
  const content = file ? await file.text() : fromString ? fields.content_string : undefined;
  return { fields, content };
}

/** A boolean form field such as `secret` ("true"/"false", any case, or "1"/"0"). */
export function formBoolean(value: string | undefined, field: string): boolean {
  const v = value?.trim().toLowerCase();
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  throw badRequest(
    `The ${field} ${
      value === undefined ? "field is missing" : `"${value}" is not a boolean`
    }: send true or false`,
  );
}
