/**
 * Event-stream routes (reference §2.2, §3.9): `GET`, `POST /event-stream` and
 * `DELETE /event-stream/{id}`. Each user may have one stream; only its creator may delete it
 * (admins included: it is someone's socket). The sandbox runs no WebSocket service: the
 * `location` (`ws://<host>/event-stream/<uuid>`, `wss` behind https) is only an address.
 *
 * Choices: a second `POST` is a 400 naming the existing stream; the body may be empty (the
 * format defaults to `PROTOCOL_STRING`).
 *
 * @module
 */

import type { Hono } from "hono";
import type { EventStreamFormat, EventStreamGetPostResponse } from "../../client/types.ts";
import type { EventStreamRecord, SandboxState } from "../state.ts";
import {
  type AsEnv,
  badRequest,
  empty,
  forbidden,
  notFound,
  principalOf,
  readJsonObject,
} from "./http.ts";

/** The two formats. */
export const FORMATS: readonly EventStreamFormat[] = ["PROTOCOL_STRING", "JSON_STRING"];

/** The response body for a stream, its location built from the request URL. */
function streamBody(stream: EventStreamRecord, requestUrl: string): EventStreamGetPostResponse {
  const url = new URL(requestUrl);
  const scheme = url.protocol === "https:" ? "wss" : "ws";
  return {
    id: stream.id,
    name: stream.name,
    location: `${scheme}://${url.host}/event-stream/${stream.uuid}`,
    format: stream.format,
  };
}

/** Registers the event-stream routes on `app`. */
export function registerEventStreamRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  const streamOf = (username: string) =>
    [...state.eventStreams.values()].find((s) => s.owner === username);

  app.get("/event-stream", (c) => {
    const stream = streamOf(principalOf(c).username);
    if (!stream) {
      throw notFound(
        'You have no event stream: create one with POST /event-stream {"format": "JSON_STRING"}',
      );
    }
    return c.json(streamBody(stream, c.req.url));
  });

  app.post("/event-stream", async (c) => {
    const me = principalOf(c).username;
    const body = await readJsonObject(c, { allowEmpty: true });
    const format = (body.format ?? "PROTOCOL_STRING") as EventStreamFormat;
    if (!FORMATS.includes(format)) {
      throw badRequest(
        `The format ${JSON.stringify(body.format)} is invalid: use PROTOCOL_STRING or JSON_STRING`,
      );
    }
    const existing = streamOf(me);
    if (existing) {
      throw badRequest(
        `You already have event stream ${existing.id}: a user may have only one (delete it first)`,
      );
    }
    const uuid = state.newUuid();
    const stream: EventStreamRecord = {
      id: state.newEventStreamId(),
      owner: me,
      name: `es-${uuid.slice(0, 8)}`,
      uuid,
      format,
    };
    state.eventStreams.set(stream.id, stream);
    return c.json(streamBody(stream, c.req.url), 201);
  });

  app.delete("/event-stream/:id", (c) => {
    const text = c.req.param("id");
    if (!/^\d+$/.test(text)) {
      throw badRequest(
        `The event stream id "${text}" is not a whole number: use the id from GET /event-stream`,
      );
    }
    const stream = state.eventStreams.get(Number(text));
    if (!stream) {
      throw notFound(`Event stream ${text} does not exist: use the id from GET /event-stream`);
    }
    if (stream.owner !== principalOf(c).username) {
      throw forbidden(
        `Event stream ${text} belongs to someone else: only its creator may delete it`,
      );
    }
    state.eventStreams.delete(stream.id);
    return empty(204);
  });
}
