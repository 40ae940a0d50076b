// The transcript download: the chat as a plain-text file, one line per message or attachment with its
// time (in the customer's language and time zone, through Intl) and who wrote it.

export function saveTranscript(items, { t, locale, title }) {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
  const lines = [title, ""];
  for (const item of items) {
    const at = new Date(item.AbsoluteTime);
    const who = item.ParticipantRole === "CUSTOMER" ? t("you")
      : item.DisplayName && item.DisplayName !== "SYSTEM_MESSAGE" ? item.DisplayName : t(item.ParticipantRole === "SYSTEM" ? "bot" : "agent");
    const what = item.Type === "ATTACHMENT"
      ? (item.Attachments || []).map((a) => `📎 ${a.AttachmentName}`).join(", ")
      : String(item.Content ?? "");
    lines.push(`[${Number.isNaN(at.getTime()) ? "" : when.format(at)}] ${who}: ${what}`);
  }
  return new Blob([lines.join("\n") + "\n"], { type: "text/plain;charset=utf-8" });
}
