// Every Participant Service operation through the official SDK client, including attachments and the
// parsing of every error type the emulator answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateParticipantConnectionCommand, SendEventCommand, SendMessageCommand, GetTranscriptCommand,
  StartAttachmentUploadCommand, CompleteAttachmentUploadCommand, GetAttachmentCommand, DescribeViewCommand,
  GetAuthenticationUrlCommand, CancelParticipantAuthenticationCommand,
  ThrottlingException, InternalServerException, ConflictException, ServiceQuotaExceededException,
  ResourceNotFoundException, ValidationException,
} from "@aws-sdk/client-connectparticipant";
import { base, participantClient, startChat, agentSays } from "./helpers.mjs";

async function connection() {
  const client = participantClient();
  const { ParticipantToken, ContactId } = await startChat();
  const out = await client.send(new CreateParticipantConnectionCommand({
    ParticipantToken, Type: ["CONNECTION_CREDENTIALS"], ConnectParticipant: true,
  }));
  return { client, ContactId, ConnectionToken: out.ConnectionCredentials.ConnectionToken };
}

async function failNext(Operation, Status, Count = 1) {
  await fetch(`${base}/emulator/faults/api`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Operation, Status, Count }),
  });
}

test("SendEvent: typing and a read receipt", async () => {
  const { client, ContactId, ConnectionToken } = await connection();
  const typing = await client.send(new SendEventCommand({ ConnectionToken, ContentType: "application/vnd.amazonaws.connect.event.typing" }));
  assert.equal(typeof typing.Id, "string");
  const agent = await agentSays(ContactId, "did you get this?");
  const read = await client.send(new SendEventCommand({
    ConnectionToken, ContentType: "application/vnd.amazonaws.connect.event.message.read",
    Content: JSON.stringify({ messageId: agent.Id }),
  }));
  assert.equal(typeof read.AbsoluteTime, "string");
  const t = await client.send(new GetTranscriptCommand({ ConnectionToken, ScanDirection: "FORWARD", SortOrder: "ASCENDING" }));
  const message = t.Transcript.find((i) => i.Id === agent.Id);
  assert.equal(message.MessageMetadata.MessageId, agent.Id);
  assert.equal(typeof message.MessageMetadata.Receipts[0].ReadTimestamp, "string");
  await assert.rejects(
    client.send(new SendEventCommand({ ConnectionToken, ContentType: "application/vnd.amazonaws.connect.event.chat.ended" })),
    ValidationException,
  );
});

test("GetTranscript pages with NextToken in both directions", async () => {
  const { client, ContactId, ConnectionToken } = await connection();
  const sent = [];
  for (let i = 0; i < 12; i++) sent.push((await agentSays(ContactId, `line ${i}`)).Id);
  for (const [ScanDirection, SortOrder] of [["FORWARD", "ASCENDING"], ["BACKWARD", "DESCENDING"]]) {
    const ids = [];
    let NextToken;
    do {
      const page = await client.send(new GetTranscriptCommand({ ConnectionToken, MaxResults: 5, ScanDirection, SortOrder, NextToken }));
      assert.ok(page.Transcript.length <= 5);
      ids.push(...page.Transcript.filter((i) => i.Type === "MESSAGE").map((i) => i.Id));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(ids, ScanDirection === "FORWARD" ? sent : [...sent].reverse());
  }
  const recent = await client.send(new GetTranscriptCommand({ ConnectionToken, StartPosition: { MostRecent: 2 }, SortOrder: "ASCENDING" }));
  assert.deepEqual(recent.Transcript.map((i) => i.Id), sent.slice(-3));
  await assert.rejects(client.send(new GetTranscriptCommand({ ConnectionToken, NextToken: "garbage" })), ValidationException);
});

test("attachments: start, PUT with HeadersToInclude, complete, get", async () => {
  const { client, ConnectionToken } = await connection();
  const bytes = Buffer.from("%PDF-1.4 a tiny test file");
  const started = await client.send(new StartAttachmentUploadCommand({
    ConnectionToken, ContentType: "application/pdf", AttachmentSizeInBytes: bytes.length, AttachmentName: "tiny.pdf", ClientToken: "att-1",
  }));
  const { Url, UrlExpiry, HeadersToInclude } = started.UploadMetadata;
  assert.equal(typeof started.AttachmentId, "string");
  assert.equal(typeof UrlExpiry, "string");
  await assert.rejects(
    client.send(new CompleteAttachmentUploadCommand({ ConnectionToken, AttachmentIds: [started.AttachmentId], ClientToken: "c-0" })),
    (e) => e instanceof ConflictException && e.$metadata.httpStatusCode === 409,
  );
  const put = await fetch(Url, { method: "PUT", headers: HeadersToInclude, body: bytes });
  assert.equal(put.status, 200);
  await client.send(new CompleteAttachmentUploadCommand({ ConnectionToken, AttachmentIds: [started.AttachmentId], ClientToken: "c-1" }));
  const got = await client.send(new GetAttachmentCommand({ ConnectionToken, AttachmentId: started.AttachmentId, UrlExpiryInSeconds: 60 }));
  assert.equal(got.AttachmentSizeInBytes, bytes.length);
  const download = await fetch(got.Url);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
  await assert.rejects(
    client.send(new StartAttachmentUploadCommand({
      ConnectionToken, ContentType: "application/pdf", AttachmentSizeInBytes: 50_000_000, AttachmentName: "huge.pdf", ClientToken: "att-2",
    })),
    (e) => e instanceof ServiceQuotaExceededException && e.$metadata.httpStatusCode === 402,
  );
});

test("DescribeView, GetAuthenticationUrl, CancelParticipantAuthentication", async () => {
  const { client, ConnectionToken, ContactId } = await connection();
  const view = await client.send(new DescribeViewCommand({ ConnectionToken, ViewToken: "emulator-demo-view" }));
  assert.equal(view.View.Name, "Emulator demo view");
  assert.deepEqual(view.View.Content.Actions, ["Submit", "Cancel"]);
  await assert.rejects(client.send(new DescribeViewCommand({ ConnectionToken, ViewToken: "nope" })), (e) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.ResourceId, "nope");
    return true;
  });
  // The flow's Authenticate Customer block starts a session (the emulator's control API stands in for it).
  const started = await fetch(`${base}/emulator/contacts/${ContactId}/authentication`, { method: "POST", body: "{}" });
  const { SessionId } = await started.json();
  const auth = await client.send(new GetAuthenticationUrlCommand({ ConnectionToken, SessionId, RedirectUri: "https://example.com/cb" }));
  assert.match(auth.AuthenticationUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
  const cancelled = await client.send(new CancelParticipantAuthenticationCommand({ ConnectionToken, SessionId }));
  assert.equal(cancelled.$metadata.httpStatusCode, 200);
});

test("throttling and server errors parse to the SDK's exception classes", async () => {
  const { client, ConnectionToken } = await connection();
  await failNext("SendMessage", 429);
  await assert.rejects(
    client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "x" })),
    (e) => e instanceof ThrottlingException && e.$metadata.httpStatusCode === 429,
  );
  await failNext("GetTranscript", 500);
  await assert.rejects(
    client.send(new GetTranscriptCommand({ ConnectionToken })),
    (e) => e instanceof InternalServerException && e.$metadata.httpStatusCode === 500,
  );
  // And the call works again afterwards.
  const ok = await client.send(new SendMessageCommand({ ConnectionToken, ContentType: "text/plain", Content: "x" }));
  assert.ok(ok.Id);
});
