// What the demo's agent console can send "as the bot": the interactive templates of Amazon Connect (as a
// Lex bot or a flow's Show View block sends them), markdown, a streamed reply and a sign-in request.
// The images are https URLs as a real bot sends; offline (as here) they do not load, and the widget hides them.

const IMG = "https://images.northwind.example";
const day = (offset, hour, minute) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  d.setUTCHours(hour, minute, 0, 0);
  return d.toISOString().replace(/:00\.000Z$/, "+00:00");
};
const template = (templateType, content, replyMessage) =>
  JSON.stringify({ templateType, version: "1.0", data: replyMessage ? { replyMessage, content } : { content } });
const panelCard = (templateIdentifier, title, subtitle, image) => ({
  templateType: "Panel", templateIdentifier, version: "1.0",
  data: { content: { title, subtitle, imageType: "URL", imageData: `${IMG}/${image}.jpg`, imageDescription: title,
    elements: [{ title: "Add to basket" }, { title: "More details" }] } },
});

/** Page `n` (0 or 1) of a list the demo flow pages through with "Show more" / "Previous options". */
export function storesPage(n) {
  const stores = [["Bristol", "Harbourside"], ["Leeds", "Briggate"], ["York", "Coney Street"], ["Bath", "Milsom Street"], ["Oxford", "Cornmarket"]];
  const from = n === 0 ? 0 : 3;
  const elements = stores.slice(from, from + 3).map(([city, street]) => ({ title: city, subtitle: street }));
  elements.push(n === 0 ? { title: "Show more stores", actionDetail: "SHOW_MORE" } : { title: "Previous stores", actionDetail: "PREVIOUS_OPTIONS" });
  return template("ListPicker", {
    title: "Which store suits you?", subtitle: `Page ${n + 1} of 2`, referenceId: "demo-stores", listId: "stores",
    preIndex: n === 0 ? -1 : 0, nextIndex: n === 0 ? 3 : 6, elements,
  });
}

export const SAMPLES = [
  {
    label: "List picker",
    content: template("ListPicker", {
      title: "Which product is it about?", subtitle: "Tap one", imageType: "URL", imageData: `${IMG}/range.jpg`, imageDescription: "Our range",
      elements: [
        { title: "Trail Runner 2", subtitle: "€129", imageType: "URL", imageData: `${IMG}/shoe.jpg`, imageDescription: "Trail Runner 2 shoe" },
        { title: "Ridge Jacket", subtitle: "€249", imageType: "URL", imageData: `${IMG}/jacket.jpg`, imageDescription: "Ridge Jacket" },
        { title: "Summit Pack 30L", subtitle: "€99", imageType: "URL", imageData: `${IMG}/pack.jpg`, imageDescription: "Summit Pack" },
      ],
    }, { title: "Thanks!", subtitle: "We'll look into it." }),
  },
  {
    label: "Panel",
    content: template("Panel", {
      title: "How can we help?", subtitle: "Choose a topic",
      elements: [{ title: "Track my order" }, { title: "Start a return" }, { title: "Talk to a person" },
        { title: "Read the FAQ", type: "hyperlink", url: "https://www.example.com/faq" }],
    }),
  },
  {
    label: "Quick replies",
    content: template("QuickReply", { title: "Did that answer your question?", elements: [{ title: "Yes, thanks" }, { title: "No" }, { title: "Not sure" }] }),
  },
  {
    label: "Time slots",
    content: () => template("TimePicker", {
      title: "Book a fitting", subtitle: "30 minutes with a specialist",
      location: { latitude: 51.45, longitude: -2.6, title: "Northwind Outfitters, Bristol", radius: 1 },
      timeslots: [day(1, 9, 30), day(1, 11, 0), day(1, 15, 30), day(2, 10, 0), day(2, 14, 0)].map((date) => ({ date, duration: 30 })),
    }, { title: "Your fitting is booked" }),
  },
  {
    label: "Carousel",
    content: template("Carousel", {
      title: "Our most popular gear",
      elements: [panelCard("shoe", "Trail Runner 2", "€129", "shoe"), panelCard("jacket", "Ridge Jacket", "€249", "jacket"),
        panelCard("pack", "Summit Pack 30L", "€99", "pack")],
    }),
  },
  { label: "Paged list", content: storesPage(0) },
  {
    label: "Step-by-step guide",
    content: template("ViewResource", { viewId: "emulator-view", viewToken: "emulator-demo-view", viewData: JSON.stringify({ street: "1 Harbourside" }) }),
  },
  {
    label: "Markdown",
    contentType: "text/markdown",
    content: "**Order #1042 has shipped** 🎉\n\nIn the parcel:\n- Trail Runner 2, size 42\n- *Two* pairs of socks\n\nTracking code: `NW-1042-UK`. " +
      "[Track it here](https://www.example.com/track/NW-1042-UK).\n\n~~Old address~~ New address confirmed. " +
      "This one is not a link: [click me](javascript:alert(1))",
  },
];

/** A streamed reply, as a Lex bot with ResponseMode INCREMENTAL sends it. */
export const STREAMED = { Chunks: ["Let me ", "look that ", "up for you… ", "Your order ", "left our warehouse ", "this morning ", "and arrives tomorrow."], IntervalMs: 180 };
