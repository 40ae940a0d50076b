// The widget's markdown (widget/markdown.js): DOM nodes built one by one, safe links only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { markdown, safeUrl } from "../../widget/markdown.js";

const { document } = parseHTML("<!doctype html><html><body></body></html>");
/** The rendered nodes as markup, attributes sorted, for comparison (the renderer never writes markup). */
function serialize(node) {
  if (node.nodeType === 3) return node.textContent.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const inner = [...node.childNodes].map(serialize).join("");
  if (node.nodeType !== 1) return inner;
  const tag = node.tagName.toLowerCase();
  const attrs = [...node.attributes].map((a) => ` ${a.name}="${a.value.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"`).sort().join("");
  return ["br", "hr"].includes(tag) ? `<${tag}${attrs}>` : `<${tag}${attrs}>${inner}</${tag}>`;
}
const html = (source) => serialize(markdown(document, source));
const A = (href, text) => `<a href="${href}" rel="noopener noreferrer" target="_blank">${text}</a>`;

test("emphasis, code and line breaks", () => {
  assert.equal(html("**Order shipped** today"), "<p><strong>Order shipped</strong> today</p>");
  assert.equal(html("*soon* and _now_, __bold__ ~~gone~~"), "<p><em>soon</em> and <em>now</em>, <strong>bold</strong> <s>gone</s></p>");
  assert.equal(html("*a **b** c*"), "<p><em>a <strong>b</strong> c</em></p>");
  assert.equal(html("run `npm test` now"), "<p>run <code>npm test</code> now</p>");
  assert.equal(html("``a ` b``"), "<p><code>a ` b</code></p>");
  assert.equal(html("line one\nline two\n\nnext"), "<p>line one<br>line two</p><p>next</p>");
  assert.equal(html("snake_case_name and 2 * 3 * 4"), "<p>snake_case_name and 2 * 3 * 4</p>");
  assert.equal(html("\\*not em\\*"), "<p>*not em*</p>");
  assert.equal(html("**unclosed"), "<p>**unclosed</p>");
});

test("lists, code blocks, quotes, headings and rules", () => {
  assert.equal(html("- one\n- two\n* three"), "<ul><li>one</li><li>two</li><li>three</li></ul>");
  assert.equal(html("1. first\n2. second"), "<ol><li>first</li><li>second</li></ol>");
  assert.equal(html("3. third\n4. fourth"), '<ol start="3"><li>third</li><li>fourth</li></ol>');
  assert.equal(html("Intro:\n- a\n  more of a\n\nAfter"), "<p>Intro:</p><ul><li>a<br>more of a</li></ul><p>After</p>");
  assert.equal(html("```\nlet x = <b>1</b>;\n```"), "<pre><code>let x = &lt;b&gt;1&lt;/b&gt;;</code></pre>");
  assert.equal(html("> quoted **text**\n> more"), "<blockquote><p>quoted <strong>text</strong><br>more</p></blockquote>");
  assert.equal(html("## Your order"), "<p><strong>Your order</strong></p>");
  assert.equal(html("a\n\n---\n\nb"), "<p>a</p><hr><p>b</p>");
});

test("links: https, http, mailto and tel only, in a new tab, never anything else", () => {
  assert.equal(html("[tracking](https://example.com/t?id=1&x=2)"), `<p>${A("https://example.com/t?id=1&amp;x=2", "tracking")}</p>`);
  assert.equal(html("[**bold** link](http://example.com)"), `<p>${A("http://example.com/", "<strong>bold</strong> link")}</p>`);
  assert.equal(html("[mail](mailto:help@example.com) [call](tel:+441234)"), `<p>${A("mailto:help@example.com", "mail")} ${A("tel:+441234", "call")}</p>`);
  assert.equal(html("see https://example.com/a."), `<p>see ${A("https://example.com/a", "https://example.com/a")}.</p>`);
  assert.equal(html("<https://example.com>"), `<p>${A("https://example.com/", "https://example.com")}</p>`);
  for (const bad of ["[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](data:text/html,hi)", "[x](/relative)", "[x](vbscript:y)"]) {
    const out = html(bad);
    assert.ok(!out.includes("<a"), `${bad} -> ${out}`);
    assert.ok(out.startsWith("<p>x"), out);
  }
  assert.equal(safeUrl(" javascript:alert(1)"), null);
  assert.equal(safeUrl("https://x.example/"), "https://x.example/");
});

test("markup in the text stays text", () => {
  assert.equal(html('<img src=x onerror="alert(1)"> & <script>'), '<p>&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;script&gt;</p>');
  const div = document.createElement("div");
  div.append(markdown(document, "<b>hi</b> **<i>x</i>**"));
  assert.equal(div.querySelectorAll("b, i, img, script").length, 0);
});
