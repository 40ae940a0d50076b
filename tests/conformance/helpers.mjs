// Shared by the conformance tests: the emulator under test and a website-backend-like StartChatContact.
import { ConnectParticipantClient } from "@aws-sdk/client-connectparticipant";

export const base = process.env.EMULATOR_URL;
if (!base) throw new Error("EMULATOR_URL is not set (scripts/test.sh starts an emulator)");

/** The official client, pointed at the emulator. Credentials are dummies: the service ignores signing. */
export function participantClient() {
  return new ConnectParticipantClient({
    region: "us-west-2",
    endpoint: base,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

/** StartChatContact (`PUT /contact/chat`) as a website backend calls it, with `extra` members (e.g.
 * `PersistentChat`): the response as it comes. */
export function startChatContact(displayName = "Customer", extra = {}) {
  return fetch(`${base}/contact/chat`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      InstanceId: "11111111-2222-3333-4444-555555555555",
      ContactFlowId: "66666666-7777-8888-9999-000000000000",
      ParticipantDetails: { DisplayName: displayName },
      ...extra,
    }),
  });
}

/** StartChatContact's answer for a new chat (`ContactId`, `ParticipantId`, `ParticipantToken`). */
export async function startChat(displayName = "Customer") {
  const res = await startChatContact(displayName);
  if (!res.ok) throw new Error(`StartChatContact: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An agent message through the emulator's control API. */
export async function agentSays(contactId, text) {
  const res = await fetch(`${base}/emulator/contacts/${contactId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ Content: text }),
  });
  if (!res.ok) throw new Error(`agent message: ${res.status}`);
  return res.json();
}
