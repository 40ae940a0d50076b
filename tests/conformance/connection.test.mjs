// The official AWS SDK client (@aws-sdk/client-connectparticipant) against the emulator: it must get
// the shapes and errors the real service gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateParticipantConnectionCommand,
  SendMessageCommand,
  GetTranscriptCommand,
  DisconnectParticipantCommand,
  AccessDeniedException,
  ValidationException,
} from "@aws-sdk/client-connectparticipant";
import { participantClient, startChat, agentSays } from "./helpers.mjs";

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test("StartChatContact answers the ids and token", async () => {
  const started = await startChat();
  assert.deepEqual(Object.keys(started).sort(), ["ContactId", "ParticipantId", "ParticipantToken"]);
  for (const v of Object.values(started)) assert.equal(typeof v, "string");
});

test("CreateParticipantConnection returns a ws URL, its expiry and a ConnectionToken", async () => {
  const client = participantClient();
  const { ParticipantToken } = await startChat();
  const before = Date.now();
  const out = await client.send(new CreateParticipantConnectionCommand({
    ParticipantToken, Type: ["WEBSOCKET", "CONNECTION_CREDENTIALS"], ConnectParticipant: true,
  }));
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.match(out.Websocket.Url, /^ws:\/\/127\.0\.0\.1:\d+\//);
  assert.match(out.Websocket.ConnectionExpiry, ISO_MS);
  const ttl = Date.parse(out.Websocket.ConnectionExpiry) - before;
  assert.ok(ttl > 90_000 && ttl <= 101_000, `default URL lifetime is 100 s, got ${ttl} ms`);
  assert.equal(typeof out.ConnectionCredentials.ConnectionToken, "string");
  assert.match(out.ConnectionCredentials.Expiry, ISO_MS);

  const onlySocket = await client.send(new CreateParticipantConnectionCommand({ ParticipantToken, Type: ["WEBSOCKET"] }));
  assert.ok(onlySocket.Websocket);
  assert.equal(onlySocket.ConnectionCredentials, undefined);
  const onlyCreds = await client.send(new CreateParticipantConnectionCommand({ ParticipantToken, Type: ["CONNECTION_CREDENTIALS"] }));
  assert.equal(onlyCreds.Websocket, undefined);
  assert.ok(onlyCreds.ConnectionCredentials.ConnectionToken);
});

test("a wrong or missing token is AccessDeniedException (403) as the SDK parses it", async () => {
  const client = participantClient();
  await assert.rejects(
    client.send(new CreateParticipantConnectionCommand({ ParticipantToken: "nope", Type: ["WEBSOCKET"] })),
    (e) => {
      assert.ok(e instanceof AccessDeniedException, `got ${e.name}`);
      assert.equal(e.name, "AccessDeniedException");
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.ok(e.message.length > 0);
      return true;
    },
  );
  // A ParticipantToken where a ConnectionToken belongs is refused too.
  const { ParticipantToken } = await startChat();
  await assert.rejects(
    client.send(new SendMessageCommand({ ConnectionToken: ParticipantToken, ContentType: "text/plain", Content: "x" })),
    AccessDeniedException,
  );
});

test("SendMessage, GetTranscript and DisconnectParticipant with the ConnectionToken", async () => {
  const client = participantClient();
  const { ParticipantToken, ContactId } = await startChat();
  const conn = await client.send(new CreateParticipantConnectionCommand({
    ParticipantToken, Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true,
  }));
  const ConnectionToken = conn.ConnectionCredentials.ConnectionToken;
  const sent = await client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "hello", ClientToken: "c-1" }));
  assert.equal(typeof sent.Id, "string");
  assert.match(sent.AbsoluteTime, ISO_MS);
  const again = await client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "hello", ClientToken: "c-1" }));
  assert.equal(again.Id, sent.Id, "the same ClientToken does not send twice");
  const agent = await agentSays(ContactId, "hi, I am the agent");

  const t = await client.send(new GetTranscriptCommand({ ConnectionToken, ScanDirection: "FORWARD", SortOrder: "ASCENDING", MaxResults: 100 }));
  const messages = t.Transcript.filter((i) => i.Type === "MESSAGE");
  assert.deepEqual(messages.map((m) => m.Id), [sent.Id, agent.Id]);
  assert.equal(messages[0].ParticipantRole, "CUSTOMER");
  assert.equal(messages[1].ParticipantRole, "AGENT");
  assert.equal(t.InitialContactId, ContactId);

  await assert.rejects(
    client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "" })),
    (e) => e instanceof ValidationException && e.$metadata.httpStatusCode === 400,
  );

  await client.send(new DisconnectParticipantCommand({ ConnectionToken }));
  await assert.rejects(
    client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "after" })),
    AccessDeniedException,
  );
});
