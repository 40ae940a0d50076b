// Compiled with `tsc --strict --noEmit` against the built package: the types are precise (no `any`), and
// misuse fails to compile (each @ts-expect-error must hold an error).
import init, { ChatSession, type ChatItem, type ChatError, type TranscriptResult } from "connect-chat-wasm";

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
