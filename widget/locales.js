// Which language the widget speaks, and its strings. English is built in (strings.js); every other table
// is a module of its own in locales/, fetched only by a page that needs it, so eleven languages add
// nothing to the bundle a page loads. The entry (index.js for the tag, module.js for bundlers) says how a
// table is fetched.

/** The tables shipped in locales/, by their BCP 47 tag. */
export const LOCALES = ["ar", "de", "en", "es", "fr", "he", "id", "it", "ja", "ko", "pt-BR", "zh-CN", "zh-TW"];

/** Scripts written right to left: the panel is mirrored for them. */
const RTL = new Set(["ar", "he", "fa", "ur"]);

/** The shipped table closest to `tag` (a `lang` attribute, `navigator.language`), or "en": an exact
 * match, then the language alone, with Chinese by script or region and Portuguese as Brazil's. */
export function pickLocale(tag) {
  let lower;
  try {
    // Canonical form (`zh-hant-hk` → `zh-Hant-HK`); an invalid tag is not a language.
    lower = Intl.getCanonicalLocales(String(tag || "en"))[0].toLowerCase();
  } catch {
    return "en";
  }
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [lang] = lower.split("-");
  if (lang === "zh") return /-(hant|tw|hk|mo)\b/.test(lower) ? "zh-TW" : "zh-CN";
  if (lang === "pt") return "pt-BR";
  if (lang === "iw") return "he";
  return LOCALES.includes(lang) ? lang : "en";
}

/** "rtl" for a language written right to left. */
export const direction = (locale) => (RTL.has(locale.split("-")[0]) ? "rtl" : "ltr");

const loaded = new Map();

/** The table of `locale` ({} for English, whose strings are the defaults), fetched once per page with
 * `load(locale)` → a module whose default export is the table. A table that cannot be fetched leaves
 * the widget in English and says so: the chat matters more than its language. */
export function localeTable(locale, load) {
  if (locale === "en") return Promise.resolve({});
  if (!loaded.has(locale)) {
    loaded.set(locale, load(locale).then((m) => m.default, (e) => {
      loaded.delete(locale); // a later widget may try again
      throw new Error(`the ${locale} strings could not be loaded (${e.message}); showing English`);
    }));
  }
  return loaded.get(locale);
}
