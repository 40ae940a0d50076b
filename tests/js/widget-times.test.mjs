// Times in the widget's transcript (widget/transcript.js) go through Intl in the widget's language: the
// time alone for today's messages, the date too for another day's (a chat resumed the next morning).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";

const { document, Node } = parseHTML("<!doctype html><html><body><ol></ol></body></html>");
Object.assign(globalThis, { document, Node });
const { Transcript } = await import("../../widget/transcript.js");
const transcript = (locale) => new Transcript(document.querySelector("ol"), { t: (k) => k, locale });
const shown = (t, iso) => t.meta({ AbsoluteTime: iso, DisplayName: "Ana", ParticipantRole: "AGENT" }).querySelector("time").textContent;

test("today: the time; another day: the date and the time, in the widget's language", () => {
  const now = new Date();
  const yesterday = new Date(now.getTime() - 86_400_000);
  for (const locale of ["en", "de", "ja", "ar"]) {
    const t = transcript(locale);
    assert.equal(shown(t, now.toISOString()), new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(now), locale);
    assert.equal(shown(t, yesterday.toISOString()),
      new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(yesterday), locale);
  }
});

test("the full date and time is the time's title; a time that is not one shows none", () => {
  const t = transcript("fr");
  const at = "2026-03-04T05:06:07.000Z";
  const meta = t.meta({ AbsoluteTime: at, DisplayName: "Ana", ParticipantRole: "AGENT" });
  assert.equal(meta.querySelector("time").getAttribute("title"), new Intl.DateTimeFormat("fr", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(at)));
  assert.equal(meta.querySelector("time").getAttribute("datetime"), at);
  assert.equal(t.meta({ AbsoluteTime: "not a time", DisplayName: "Ana" }).querySelector("time"), null);
});
