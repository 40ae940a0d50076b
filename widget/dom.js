// Building the widget's DOM from nodes: every piece of text goes in as a text node, never as markup.

/** An element with attributes (`on*` adds a listener, `true` an empty attribute, `false`/`null` none)
 * and children (nodes, or text). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v == null) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Text from the network without its bidirectional controls (U+202A-U+202E, U+2066-U+2069, the marks):
 * shown in a `<bdi>` a name cannot reorder the text around it, and without them it cannot reorder
 * itself either (`invoice\u202Etxt.exe` would read as "invoiceexe.txt"). */
export const withoutBidiControls = (text) => String(text).replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, "");

/** A name or a message from the network, isolated from the sentence around it. */
export const bdi = (text) => el("bdi", {}, withoutBidiControls(text));

const PATHS = {
  clip: "M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.7-5.7l-8.2 8.2a6 6 0 0 0 8.5 8.5l7.1-7.1",
  prev: "M15 18l-6-6 6-6",
  next: "M9 18l6-6-6-6",
  lock: "M7 11V7a5 5 0 0 1 10 0v4M5 11h14v10H5z",
  blocked: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM5.6 5.6l12.8 12.8",
  pin: "M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
  link: "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  minimize: "M5 12h14",
  retry: "M4 12a8 8 0 1 0 2.3-5.7M4 4v5h5",
};

/** An icon drawn as SVG nodes: no font or image to load, nothing for a CSP to block. */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[name]);
  svg.append(path);
  return svg;
}

/** An image from the network, shown only from `https:` (a bot's picture is decoration, never a tracker
 * over plain HTTP nor a `data:` payload); `alt` from the template's description. */
export function image(src, alt, cls) {
  if (typeof src !== "string") return null;
  let url;
  try {
    url = new URL(src);
  } catch {
    return null;
  }
  if (url.protocol !== "https:") return null;
  const img = el("img", { class: cls, src: url.href, alt: typeof alt === "string" ? alt : "", loading: "lazy", referrerpolicy: "no-referrer" });
  // A picture that does not load is left out rather than shown broken.
  img.addEventListener("error", () => (img.hidden = true));
  return img;
}

/** `s` cut to `max` characters (the reference widget's display limits), with an ellipsis. */
export function cut(s, max) {
  const chars = [...String(s ?? "")];
  return chars.length > max ? chars.slice(0, max).join("") + "…" : chars.join("");
}
