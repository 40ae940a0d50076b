// Persistent chat through the official SDK client: a chat continued from an ended one (StartChatContact's
// PersistentChat, sent as a backend sends it) shows the earlier items in GetTranscript, each marked with the
// RelatedContactId the SDK's Item model has, in one NextToken scan across both contacts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateParticipantConnectionCommand, SendMessageCommand, GetTranscriptCommand, DisconnectParticipantCommand,
} from "@aws-sdk/client-connectparticipant";
import { participantClient, startChat, startChatContact, agentSays } from "./helpers.mjs";

async function connectionToken(client, ParticipantToken) {
  const out = await client.send(new CreateParticipantConnectionCommand({
    ParticipantToken, Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true,
  }));
  return out.ConnectionCredentials.ConnectionToken;
}

async function startPersistent(PersistentChat) {
  const res = await startChatContact("Customer", { PersistentChat });
  return { status: res.status, errorType: res.headers.get("x-amzn-errortype"), body: await res.json() };
}

test("a chat continued from an ended one pages back into the earlier contact's items", async () => {
  const client = participantClient();
  const first = await startChat();
  const firstToken = await connectionToken(client, first.ParticipantToken);
  await client.send(new SendMessageCommand({ ConnectionToken: firstToken, ContentType: "text/plain", Content: "where is my parcel?" }));
  await agentSays(first.ContactId, "let me check");

  const early = await startPersistent({ RehydrationType: "FROM_SEGMENT", SourceContactId: first.ContactId });
  assert.deepEqual([early.status, early.errorType], [400, "InvalidRequestException"], "the source must have ended");
  await client.send(new DisconnectParticipantCommand({ ConnectionToken: firstToken }));

  const second = await startPersistent({ RehydrationType: "ENTIRE_PAST_SESSION", SourceContactId: first.ContactId });
  assert.equal(second.status, 200);
  assert.equal(second.body.ContinuedFromContactId, first.ContactId);
  const token = await connectionToken(client, second.body.ParticipantToken);
  await client.send(new SendMessageCommand({ ConnectionToken: token, ContentType: "text/plain", Content: "I'm back" }));

  const items = [];
  let NextToken;
  do {
    const page = await client.send(new GetTranscriptCommand({
      ConnectionToken: token, MaxResults: 2, ScanDirection: "BACKWARD", SortOrder: "ASCENDING", NextToken,
    }));
    assert.equal(page.InitialContactId, second.body.ContactId);
    items.unshift(...page.Transcript);
    NextToken = page.NextToken;
  } while (NextToken);
  const messages = items.filter((i) => i.Type === "MESSAGE");
  assert.deepEqual(messages.map((i) => i.Content), ["where is my parcel?", "let me check", "I'm back"]);
  assert.deepEqual(messages.map((i) => i.RelatedContactId), [first.ContactId, first.ContactId, undefined]);
  assert.deepEqual(messages.map((i) => i.ContactId), [undefined, undefined, second.body.ContactId]);

  const onlyFirst = await client.send(new GetTranscriptCommand({
    ConnectionToken: token, ContactId: first.ContactId, MaxResults: 100, ScanDirection: "FORWARD", SortOrder: "ASCENDING",
  }));
  assert.ok(onlyFirst.Transcript.length > 0);
  assert.ok(onlyFirst.Transcript.every((i) => i.RelatedContactId === first.ContactId));
});

test("an unknown source contact is ResourceNotFoundException", async () => {
  const r = await startPersistent({ RehydrationType: "FROM_SEGMENT", SourceContactId: "00000000-0000-0000-0000-000000000000" });
  assert.deepEqual([r.status, r.errorType], [404, "ResourceNotFoundException"]);
});
