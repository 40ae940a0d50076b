// Every language's table says every string English does, with the same placeholders (a `{name}` left
// out would drop the name; one misspelt would show as `{nmae}`), and the locale is picked as promised.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { STRINGS } from "../../widget/strings.js";
import { LOCALES, pickLocale, direction } from "../../widget/locales.js";

const dir = new URL("../../widget/locales/", import.meta.url);
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("the shipped tables are the ones LOCALES lists (English built in)", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));
  assert.deepEqual([...files, "en"].sort(), [...LOCALES].sort());
});

for (const locale of LOCALES.filter((l) => l !== "en")) {
  test(`${locale}: every key, no other, the same placeholders, nothing left in English`, async () => {
    const { default: table } = await import(new URL(`${locale}.js`, dir));
    assert.deepEqual(Object.keys(table).sort(), Object.keys(STRINGS).sort());
    for (const [key, english] of Object.entries(STRINGS)) {
      assert.equal(typeof table[key], "string", key);
      assert.deepEqual(placeholders(table[key]), placeholders(english), `${locale}.${key}: ${table[key]}`);
    }
    // Words that are the same in many languages ("Bot", "Messages") may match English; sentences may not.
    const same = Object.keys(STRINGS).filter((k) => table[k] === STRINGS[k] && STRINGS[k].includes(" ") && !STRINGS[k].startsWith("{n}"));
    assert.deepEqual(same, [], `${locale} still in English`);
  });
}

test("the locale comes from the tag: exact, then by language, script or region", () => {
  const cases = { "de-AT": "de", "fr-CA": "fr", "pt-PT": "pt-BR", pt: "pt-BR", "zh-Hant-HK": "zh-TW", "zh-HK": "zh-TW", "zh-SG": "zh-CN",
    zh: "zh-CN", "zh-tw": "zh-TW", "en-GB": "en", iw: "he", "ar-EG": "ar", nl: "en", "not a tag!": "en", "": "en", undefined: "en" };
  for (const [tag, want] of Object.entries(cases)) assert.equal(pickLocale(tag === "undefined" ? undefined : tag), want, tag);
  assert.equal(direction("ar"), "rtl");
  assert.equal(direction("he"), "rtl");
  assert.equal(direction("de"), "ltr");
});
