// Lists every event the page's <connect-chat> elements raise (the e2e tests read the list too).
const list = document.getElementById("events");
for (const type of ["chat-started", "chat-ended", "message", "unread-changed", "error"]) {
  // `error` does not bubble (a page's window error handler expects its own ErrorEvents): listen on each.
  for (const chat of document.querySelectorAll("connect-chat")) {
    chat.addEventListener(type, (e) => {
      const detail = type === "message" ? { from: e.detail.item.ParticipantRole, content: e.detail.item.Content }
        : type === "error" ? { during: e.detail.during, message: e.detail.error.message } : e.detail;
      const li = document.createElement("li");
      li.dataset.type = type;
      li.dataset.widget = chat.id;
      li.textContent = `${chat.id}: ${type} ${JSON.stringify(detail)}`;
      list.append(li);
    });
  }
}
