// Compiled with `tsc --strict --noEmit` against the built package: the types are precise (no `any`), and
// misuse fails to compile (each @ts-expect-error must hold an error).
import init, {
  ChatSession, type ChatItem, type ChatError, type TranscriptResult, type InteractiveTemplate, type TimeSlot,
} from "connect-chat-wasm";
import { preconnect } from "connect-chat-wasm/preconnect";

export async function example(token: string): Promise<string[]> {
  await init();
  const session = new ChatSession({ participantToken: token, region: "eu-west-2", persist: true, retry: { maxAttempts: 3 } });
  const texts: string[] = [];
  const off: () => void = session.on("message", (e) => {
    const item: ChatItem = e.detail;
    texts.push(item.Content ?? "");
  });
  session.addEventListener("reconnecting", (e) => {
    const attempt: number = e.detail.attempt;
    const reason: ChatError = e.detail.reason;
    console.log(attempt, reason.name, reason.status, reason.retryable);
  });
  session.on("connection-lost", (e) => console.log(e.detail.reason.message));
  session.on("error", (e) => console.log(e.detail.code));
  // @ts-expect-error a message's detail is an item, not a reconnect report
  session.on("message", (e) => e.detail.attempt);
  session.on("typing", () => {}, { once: true, signal: new AbortController().signal });
  // @ts-expect-error listener options are the DOM's
  session.on("typing", () => {}, { once: "yes" });
  // @ts-expect-error unknown event names do not compile
  session.on("mesage", () => {});
  await session.connect();
  const sent = await session.sendMessage("hi", "text/markdown");
  console.log(sent.Id, sent.AbsoluteTime);
  // @ts-expect-error not a message content type
  await session.sendMessage("hi", "text/html");
  const page: TranscriptResult = await session.getTranscript({ maxResults: 10, scanDirection: "FORWARD", startPosition: { id: "x" } });
  // @ts-expect-error scanDirection is an enum
  await session.getTranscript({ scanDirection: "SIDEWAYS" });
  const typing = await session.sendTyping();
  if (typing) console.log(typing.Id);
  const { AttachmentId } = await session.sendAttachment(new File(["x"], "a.txt"));
  const blob: Blob = await session.downloadAttachment(AttachmentId);
  const state: "idle" | "connecting" | "connected" | "reconnecting" | "ended" | "closed" = session.state;
  console.log(blob.size, state, page.Transcript.length);
  off();
  session.close();
  return texts;
}

/** Missed items: a fill that fails is retried and reported; one that completes says how many came. */
export function gaps(session: ChatSession): void {
  session.on("gap-fill-failed", (e) => {
    const again: number | null = e.detail.retrying ? e.detail.delayMs : null;
    console.log(e.detail.reason.name, e.detail.reason.retryable, e.detail.attempt, again);
  });
  session.on("gap-filled", (e) => console.log(e.detail.items + 1));
}

/** Streamed replies, interactive messages and authentication, typed. */
export function rich(session: ChatSession): void {
  session.on("message-partial", (e) => console.log(e.detail.Id, e.detail.Content, e.detail.MessageMetadata?.ChunkNumber));
  session.on("message", async (e) => {
    if (e.detail.Incomplete) console.log("cut short");
    const t: InteractiveTemplate | null = ChatSession.parseInteractive(e.detail);
    if (t === null) return;
    switch (t.templateType) {
      case "QuickReply":
        await session.sendInteractiveResponse(e.detail, t.content.elements[0]);
        break;
      case "TimePicker": {
        const slot: TimeSlot = t.content.timeslots[0];
        const minutes: number = slot.duration;
        console.log(minutes, t.content.timeZoneOffset, t.content.location?.title);
        await session.sendInteractiveResponse(e.detail, slot);
        break;
      }
      case "Carousel":
        await session.sendInteractiveResponse(e.detail, t.content.elements[0].data.content.elements[0]);
        break;
      case "ViewResource": {
        const view = await session.describeView(t.content.viewToken);
        const sent = await session.sendInteractiveResponse(e.detail, { action: view.View.Content?.Actions?.[0] ?? "Submit", data: { city: "Bristol" } });
        console.log(sent.Id);
        break;
      }
      case "ListPicker":
      case "Panel":
        console.log(t.content.elements[0].imageData, t.content.elements[0].actionDetail, t.replyMessage?.title);
        // @ts-expect-error a list picker has no time slots
        console.log(t.content.timeslots);
        break;
    }
  });
  session.on("authentication-initiated", async (e) => {
    const sessionId: string | undefined = e.detail.sessionId;
    if (!sessionId) return;
    const { AuthenticationUrl } = await session.getAuthenticationUrl({ sessionId, redirectUri: location.href });
    console.log(AuthenticationUrl);
  });
  session.on("authentication-succeeded", (e) => console.log(e.detail.ContentType));
  session.on("attachment", (e) => console.log(e.detail.Attachments?.[0]?.Status === "REJECTED"));
  // @ts-expect-error a choice is an element, a slot or an action, not a string
  session.sendInteractiveResponse({ Id: "x", Type: "MESSAGE", AbsoluteTime: "" }, "Yes");
}

/** The outbox: what waits, its status events, retry and drop. */
export async function outbox(token: string): Promise<number> {
  const session = new ChatSession({ participantToken: token, outbox: true, persist: "chat" });
  session.on("send-status", (e) => {
    const status: "queued" | "sending" | "sent" | "failed" = e.detail.status;
    console.log(e.detail.clientToken, status, e.detail.id, e.detail.error?.retryable);
  });
  for (const p of session.pending) {
    const content: string | undefined = p.content;
    console.log(p.clientToken, p.contentType, content, p.error?.name);
    // @ts-expect-error a pending send is never "sent"
    const sent: "sent" = p.status;
    if (p.status === "failed") {
      const again = await session.retryPending(p.clientToken);
      console.log(again.Id, sent);
    }
  }
  try {
    await session.sendMessage("typed offline");
  } catch (e) {
    const token: string | undefined = (e as ChatError).clientToken;
    if (token !== undefined) session.dropPending(token);
  }
  const dropped: boolean = session.dropPending("some-token");
  // @ts-expect-error the outbox option is a boolean
  new ChatSession({ participantToken: token, outbox: "yes" });
  return dropped ? 1 : 0;
}

// The connection started before the library loads takes the session's own options.
export async function early(token: string): Promise<boolean> {
  const subscribed: Promise<boolean> = preconnect({ participantToken: token, region: "eu-west-2", requestTimeoutMs: 5_000 });
  // @ts-expect-error: the participant token is required
  preconnect({ region: "eu-west-2" });
  // @ts-expect-error: it says whether the subscription was acknowledged, nothing else
  const wrong: string = await subscribed;
  return wrong === "" || (await subscribed);
}
