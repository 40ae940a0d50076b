// getTranscript(options): the page's camelCase options, checked before any request (a wrong value is an
// `InvalidArgument`, no network) and turned into GetTranscript's body. Limits and enums follow the
// service's API model. In JS because it reads a JS object and writes JSON, which the engine does for
// free: the same checks compiled to wasm cost 1.35 KB gzip (README, "Size").

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const given = (v) => v !== undefined && v !== null;
const refuse = (why) => {
  throw new TypeError(why);
};

// Each option: its name, the API's name, then either the allowed values or the bounds (characters of a
// string, or of a whole number when the last entry says so).
const OPTIONS = [
  ["contactId", "ContactId", 1, 256],
  ["maxResults", "MaxResults", 0, 100, true],
  ["nextToken", "NextToken", 1, 1000],
  ["scanDirection", "ScanDirection", ["FORWARD", "BACKWARD"]],
  ["sortOrder", "SortOrder", ["DESCENDING", "ASCENDING"]],
];
const POSITIONS = [
  ["startPosition.id", "Id", 1, 256],
  ["startPosition.absoluteTime", "AbsoluteTime", 1, 100],
  ["startPosition.mostRecent", "MostRecent", 0, 100, true],
];

function checked([name, , min, max, whole], value) {
  const ok = Array.isArray(min)
    ? min.includes(value)
    : whole
      ? Number.isInteger(value) && value >= min && value <= max
      : typeof value === "string" && [...value].length >= min && [...value].length <= max;
  if (!ok) {
    const what = Array.isArray(min) ? `one of ${min.join(", ")}` : whole ? `a whole number from ${min} to ${max}` : `a string of ${min} to ${max} characters`;
    refuse(`${name} must be ${what}; got ${String(JSON.stringify(value)).slice(0, 80)}`);
  }
  return value;
}

/** The member of `object` named by each option given there, checked, under the API's name. */
function members(object, options) {
  const out = {};
  for (const option of options) {
    const value = object[option[0].split(".").pop()];
    if (given(value)) out[option[1]] = checked(option, value);
  }
  return out;
}

/** GetTranscript's body for `getTranscript(options)`; throws a `TypeError` naming what is wrong. */
export function transcriptBody(options) {
  if (!given(options)) return "{}";
  if (!isObject(options)) refuse("getTranscript options must be an object");
  const body = members(options, OPTIONS);
  const p = options.startPosition;
  if (given(p)) {
    if (!isObject(p)) refuse("startPosition must be an object");
    body.StartPosition = members(p, POSITIONS);
    if (Object.keys(body.StartPosition).length !== 1) refuse("startPosition takes one of id, absoluteTime or mostRecent");
  }
  return JSON.stringify(body);
}
