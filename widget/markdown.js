// `text/markdown` messages, rendered as DOM nodes built one by one: nothing from the network is ever
// parsed as HTML. The subset is what Amazon Connect's rich messaging offers (bold, italics, bulleted and
// numbered lists, links) plus what bots commonly send (inline code, code blocks, strikethrough, quotes,
// headings shown as bold lines). Line breaks are kept, as in any chat. Links open in a new tab and only
// for `https:`, `http:`, `mailto:` and `tel:`; any other link (`javascript:`, `data:`, a relative path)
// stays plain text.
//
// Our own rather than a parser from npm: every well-kept one that gives tokens or a tree to build nodes
// from costs 15 KB gzip or more (marked's lexer 15.7, mdast-util-from-markdown 17.2, @lezer/markdown
// 20.0, markdown-to-jsx 26.5, markdown-it 41.9; measured with esbuild --minify), against about 1.5 KB here.

const SAFE_PROTOCOLS = ["https:", "http:", "mailto:", "tel:"];

/** The URL `href` names, when it is absolute and of a protocol a chat may open; else `null`. */
export function safeUrl(href) {
  try {
    const url = new URL(href.trim());
    return SAFE_PROTOCOLS.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** A link to `href` showing `children`, or the children alone when the link is not safe. */
export function link(doc, href, children) {
  const url = safeUrl(href);
  if (!url) return children;
  const a = doc.createElement("a");
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.append(...children);
  return [a];
}

const BARE_URL = /\bhttps?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}]/g;

/** Plain text with its web addresses made links (plain-text messages get this too). */
export function linkified(doc, text) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(BARE_URL)) {
    if (m.index > at) out.push(doc.createTextNode(text.slice(at, m.index)));
    out.push(...link(doc, m[0], [doc.createTextNode(m[0])]));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(doc.createTextNode(text.slice(at)));
  return out;
}

// ----- inline: code, emphasis, links -----

/** The inline delimiters, tried in this order at each position. */
const SPANS = [
  ["**", "strong"],
  ["__", "strong"],
  ["~~", "s"],
  ["*", "em"],
  ["_", "em"],
];

function inline(doc, text) {
  const out = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push(...linkified(doc, plain));
    plain = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && /[\\`*_~[\]()#+\-.!>]/.test(text[i + 1])) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const run = /^`+/.exec(text.slice(i))[0];
      const end = text.indexOf(run, i + run.length);
      if (end > 0) {
        flush();
        const code = doc.createElement("code");
        code.textContent = text.slice(i + run.length, end).trim() || text.slice(i + run.length, end);
        out.push(code);
        i = end + run.length;
        continue;
      }
    }
    if (c === "[") {
      const m = linkAt(text, i);
      if (m) {
        flush();
        out.push(...link(doc, m.href, inline(doc, m.label)));
        i = m.end;
        continue;
      }
    }
    if (c === "<") {
      const m = /^<((?:https?|mailto|tel):[^\s<>]+)>/.exec(text.slice(i));
      if (m) {
        flush();
        out.push(...link(doc, m[1], [doc.createTextNode(m[1])]));
        i += m[0].length;
        continue;
      }
    }
    const span = SPANS.find(([d]) => text.startsWith(d, i));
    if (span) {
      const [d, tag] = span;
      const end = closing(text, i, d);
      if (end > 0) {
        flush();
        const node = doc.createElement(tag);
        node.append(...inline(doc, text.slice(i + d.length, end)));
        out.push(node);
        i = end + d.length;
        continue;
      }
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

/** Where the span opened by `d` at `start` closes, or -1: not empty, not padded by spaces, and for `_`
 * not inside a word (snake_case stays as it is). */
function closing(text, start, d) {
  const open = start + d.length;
  if (open >= text.length || /\s/.test(text[open])) return -1;
  if (d[0] === "_" && start > 0 && /\w/.test(text[start - 1])) return -1;
  let j = open;
  while ((j = text.indexOf(d, j + 1)) > 0) {
    // `*a **b** c*`: a longer run of the same character here belongs to an inner span.
    if (d.length === 1 && text[j + 1] === d) {
      while (text[j + 1] === d) j++;
      continue;
    }
    if (/\s/.test(text[j - 1])) continue;
    if (d[0] === "_" && j + d.length < text.length && /\w/.test(text[j + d.length])) continue;
    return j;
  }
  return -1;
}

/** `[label](href "title")` at `start`: its parts and where it ends, or `null`. */
function linkAt(text, start) {
  let depth = 0;
  let j = start;
  for (; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === "[") depth++;
    else if (text[j] === "]" && --depth === 0) break;
  }
  if (j >= text.length || text[j + 1] !== "(") return null;
  const m = /^\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?(?:\s+"[^"]*")?\s*\)/.exec(text.slice(j + 1));
  if (!m) return null;
  return { label: text.slice(start + 1, j), href: m[1], end: j + 1 + m[0].length };
}

// ----- blocks: paragraphs, lists, code, quotes, headings -----

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const FENCE = /^\s{0,3}(```+|~~~+)/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/** `source` as a DocumentFragment of paragraphs, lists, code blocks and quotes. */
export function markdown(doc, source) {
  const frag = doc.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let paragraph = [];
  let list = null; // { node, ordered }
  const endParagraph = () => {
    if (!paragraph.length) return;
    const p = doc.createElement("p");
    paragraph.forEach((line, n) => {
      if (n > 0) p.append(doc.createElement("br"));
      p.append(...inline(doc, line));
    });
    frag.append(p);
    paragraph = [];
  };
  const endList = () => {
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      endList();
      const body = [];
      for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence[1]); i++) body.push(lines[i]);
      const pre = doc.createElement("pre");
      const code = doc.createElement("code");
      code.textContent = body.join("\n");
      pre.append(code);
      frag.append(pre);
      continue;
    }
    if (!line.trim()) {
      endParagraph();
      endList();
      continue;
    }
    const item = BULLET.exec(line) ?? NUMBERED.exec(line);
    if (item && !RULE.test(line)) {
      endParagraph();
      const ordered = item.length === 3;
      if (!list || list.ordered !== ordered) {
        list = { node: doc.createElement(ordered ? "ol" : "ul"), ordered };
        if (ordered && item[1] !== "1") list.node.setAttribute("start", String(Number(item[1])));
        frag.append(list.node);
      }
      const li = doc.createElement("li");
      li.append(...inline(doc, ordered ? item[2] : item[1]));
      list.node.append(li);
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) {
      // A continuation line of the last list item.
      list.node.lastChild.append(doc.createElement("br"), ...inline(doc, line.trim()));
      continue;
    }
    endList();
    if (RULE.test(line)) {
      endParagraph();
      frag.append(doc.createElement("hr"));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      const p = doc.createElement("p");
      const strong = doc.createElement("strong");
      strong.append(...inline(doc, heading[1]));
      p.append(strong);
      frag.append(p);
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      endParagraph();
      const quoted = [quote[1]];
      while (i + 1 < lines.length && QUOTE.test(lines[i + 1])) quoted.push(QUOTE.exec(lines[++i])[1]);
      const q = doc.createElement("blockquote");
      q.append(markdown(doc, quoted.join("\n")));
      frag.append(q);
      continue;
    }
    paragraph.push(line.trim());
  }
  endParagraph();
  return frag;
}
