// En väg in – web chat. Talks only to this origin: POST /api/chat {sender, message},
// GET /api/chat/history (the conversation after a reload), POST /api/chat/restart
// ("Börja om") and GET /api/chat/messages (what the service desk sends).
"use strict";

(() => {
  const SENDER_KEY = "envagin.sender";
  const TIMEOUT_MS = 20000;
  const MAX_LENGTH = 2000; // characters after trimming, as the server counts them
  const number = (n) => n.toLocaleString("sv-SE");
  const TEXT = {
    timeout: "Assistenten svarar inte just nu. Försök igen om en liten stund.",
    unreachable: "Assistenten går inte att nå just nu. Försök igen om en liten stund.",
    tooLong: `Meddelandet är för långt (högst ${number(MAX_LENGTH)} tecken). ` +
      "Korta det gärna eller dela upp det.",
    count: (n) => `${number(n)} tecken – högst ${number(MAX_LENGTH)} får plats i ett meddelande.`,
    invalid: "Meddelandet kunde inte skickas. Kontrollera texten och försök igen.",
    noAnswer: "Assistenten hade inget svar på det. Försök gärna formulera dig på ett annat sätt.",
    history: "Den tidigare konversationen går inte att hämta just nu. Du kan fortsätta skriva som vanligt.",
    restartFailed: "Det gick inte att börja om just nu. Försök igen om en liten stund.",
    desk: "Servicedesken",
  };
  const POLL_MS = 2000;

  const log = document.getElementById("log");
  const hint = document.getElementById("hint");
  const typing = document.getElementById("typing");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const note = document.getElementById("composer-note");
  const send = document.getElementById("send");
  const restart = document.getElementById("restart");
  let busy = false;
  const PROFILE_KEY = "envagin.profile";
  const profileForm = document.getElementById("profile");
  const profileLine = document.getElementById("profile-line");
  const profileText = document.getElementById("profile-text");
  const profileName = document.getElementById("profile-name");
  const profileDepartment = document.getElementById("profile-department");

  // Name and förvaltning are asked once, kept in this browser and sent with each message.
  function profile() {
    try {
      return JSON.parse(localStorage.getItem(PROFILE_KEY) || "null");
    } catch (_) {
      return null;
    }
  }

  function showProfile() {
    const saved = profile();
    const parts = [];
    if (saved && saved.name) parts.push(saved.name);
    if (saved && saved.departmentName) parts.push(saved.departmentName);
    profileText.textContent = parts.length ? parts.join(", ") : "";
    profileLine.hidden = !parts.length;
    profileForm.hidden = saved !== null;
  }

  async function loadDepartments() {
    try {
      const response = await fetch("/api/chat/departments", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      for (const dept of await response.json()) {
        const option = document.createElement("option");
        option.value = dept.code;
        option.textContent = dept.name;
        profileDepartment.appendChild(option);
      }
    } catch (_) { /* the chat works without it */ }
  }

  profileForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = profileDepartment.selectedOptions[0];
    localStorage.setItem(PROFILE_KEY, JSON.stringify({
      name: profileName.value.trim(),
      department: profileDepartment.value,
      departmentName: profileDepartment.value && choice ? choice.textContent : "",
    }));
    showProfile();
    input.focus();
  });
  document.getElementById("profile-skip").addEventListener("click", () => {
    localStorage.setItem(PROFILE_KEY, JSON.stringify({}));
    showProfile();
    input.focus();
  });
  document.getElementById("profile-edit").addEventListener("click", () => {
    const saved = profile() || {};
    profileName.value = saved.name || "";
    profileDepartment.value = saved.department || "";
    profileForm.hidden = false;
  });

  function newId() {
    // randomUUID needs a secure context; plain http on a LAN address is not one.
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // One sender id per browser, kept across reloads and "Börja om": it is who the person
  // is to the desk, so "visa mina ärenden" always finds their tickets.
  function senderId() {
    let id = localStorage.getItem(SENDER_KEY);
    if (!id) {
      id = newId();
      localStorage.setItem(SENDER_KEY, id);
    }
    return id;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function addBubble(who, text, label) {
    if (hint) hint.hidden = true;
    const item = document.createElement("li");
    item.className = `msg msg--${who}`;
    if (label) {
      const name = document.createElement("div");
      name.className = "msg__label";
      name.textContent = label;
      item.appendChild(name);
    }
    const bubble = document.createElement("div");
    bubble.className = "msg__bubble";
    bubble.textContent = text; // textContent: bot text is never parsed as HTML
    item.appendChild(bubble);
    log.appendChild(item);
    scrollDown();
    return item;
  }

  function clearLog() {
    log.querySelectorAll(".msg").forEach((node) => node.remove());
    if (hint) hint.hidden = false;
  }

  function disableAnsweredButtons() {
    log.querySelectorAll(".msg__buttons button").forEach((b) => { b.disabled = true; });
  }

  function addButtons(item, buttons, answered) {
    const row = document.createElement("div");
    row.className = "msg__buttons";
    for (const spec of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec.title;
      button.disabled = Boolean(answered);
      button.addEventListener("click", () => {
        if (busy) return;
        button.classList.add("is-chosen");
        submit(spec.payload, spec.title);
      });
      row.appendChild(button);
    }
    item.appendChild(row);
  }

  function addMessage(who, message, label, answered) {
    const item = addBubble(who, message.text || "", label);
    if (!message.text) item.querySelector(".msg__bubble").remove();
    if (message.buttons && message.buttons.length) addButtons(item, message.buttons, answered);
    return item;
  }

  function showBotMessages(messages, heldByDesk) {
    if (!messages.length) {
      if (heldByDesk) return; // an agent has the conversation; the reply comes by polling

      addBubble("bot", TEXT.noAnswer);
      return;
    }
    for (const message of messages) addMessage("bot", message);
    scrollDown();
  }

  // The conversation so far, oldest first; only the last message that is not the
  // person's comes with buttons, and they stay usable unless the person wrote after it.
  function showHistory(messages) {
    messages.forEach((message, index) => {
      const who = message.role === "user" ? "user" : message.role === "agent" ? "agent" : "bot";
      const answered = messages.slice(index + 1).some((later) => later.role === "user");
      addMessage(who, message, who === "agent" ? TEXT.desk : "", answered);
    });
    scrollDown();
  }

  function setBusy(value, showTyping = true) {
    busy = value;
    typing.hidden = !(value && showTyping);
    send.disabled = value;
    restart.disabled = value;
    if (value) scrollDown();
  }

  // How long a message is as the server counts it: characters (not UTF-16 units), trimmed.
  function length(text) {
    return Array.from(text.trim()).length;
  }

  function showNote(text) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
    note.textContent = text;
    note.hidden = !text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
    if (atBottom) scrollDown(); // the note takes room from the conversation
  }

  function tooLong(body) {
    return Boolean(body && Array.isArray(body.detail) &&
      body.detail.some((e) => e && e.type === "string_too_long"));
  }

  async function errorText(response) {
    let body = null;
    try {
      body = await response.json();
    } catch (_) { /* not JSON: fall through */ }
    if (response.status === 422) return tooLong(body) ? TEXT.tooLong : TEXT.invalid;
    if (body && typeof body.detail === "string") return body.detail;
    return TEXT.unreachable;
  }

  function profileFields() {
    const saved = profile() || {};
    const fields = {};
    if (saved.name) fields.name = saved.name;
    if (saved.department) fields.department = saved.department;
    return fields;
  }

  async function request(url, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(url, Object.assign({ signal: controller.signal }, options));
      if (!response.ok) return { error: await errorText(response), status: response.status };
      return { response, body: await response.json() };
    } catch (err) {
      return { error: err && err.name === "AbortError" ? TEXT.timeout : TEXT.unreachable };
    } finally {
      clearTimeout(timer);
    }
  }

  function postJson(url, body) {
    return request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  async function submit(message, shown) {
    const text = message.trim();
    if (!text || busy) return;
    disableAnsweredButtons();
    addBubble("user", shown || text);
    setBusy(true);
    // One id per message: if the answer is lost on the way and the message is sent again
    // (a network retry), the desk answers it once and never runs the turn twice.
    const body = Object.assign(
      { sender: senderId(), message: text, message_id: newId() }, profileFields(),
    );
    let result = await postJson("/api/chat", body);
    if (result.error && result.status === undefined) {
      result = await postJson("/api/chat", body); // unreachable or timed out: once more
    }
    setBusy(false);
    if (result.error) {
      addBubble("error", result.error);
      // Refused as too long after all: give the text back instead of losing it.
      if (result.error === TEXT.tooLong && !input.value) input.value = message;
    } else {
      const heldByDesk = result.response.headers.get("X-Handled-By") === "desk";
      showBotMessages(result.body, heldByDesk);
    }
    input.focus();
  }

  // Messages from the service desk (agent replies, notices, invitations) are fetched by
  // polling; the last id seen is kept per sender so a reload does not repeat them.
  function afterKey() {
    return `envagin.after.${senderId()}`;
  }

  function seenDeskMessage(id) {
    if (id > Number(localStorage.getItem(afterKey()) || "0")) {
      localStorage.setItem(afterKey(), String(id));
    }
  }

  async function poll() {
    try {
      const after = Number(localStorage.getItem(afterKey()) || "0");
      const url = `/api/chat/messages?sender=${encodeURIComponent(senderId())}&after=${after}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const messages = await response.json();
        for (const message of messages) {
          const who = message.author === "agent" ? "agent" : "bot";
          addMessage(who, message, who === "agent" ? TEXT.desk : "");
          seenDeskMessage(message.id);
        }
      }
    } catch (_) {
      /* offline for a moment: the next poll tries again */
    }
    setTimeout(poll, POLL_MS);
  }

  // After a reload: show the conversation so far (the bot's and the desk's messages).
  async function loadHistory() {
    setBusy(true, false);
    const url = `/api/chat/history?sender=${encodeURIComponent(senderId())}`;
    const result = await request(url, { headers: { Accept: "application/json" } });
    setBusy(false);
    if (result.error) {
      addBubble("notice", result.status === 503 ? result.error : TEXT.history);
      return;
    }
    showHistory(result.body.messages || []);
    seenDeskMessage(Number(result.body.last_desk_message_id) || 0);
  }

  function checkLength() {
    const count = length(input.value);
    if (count > MAX_LENGTH) showNote(TEXT.count(count));
    else if (!note.hidden) showNote("");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    if (length(text) > MAX_LENGTH) {
      showNote(TEXT.tooLong); // the text stays in the box so it can be shortened
      input.focus();
      return;
    }
    showNote("");
    input.value = "";
    submit(text);
  });

  input.addEventListener("input", checkLength);
  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter makes a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // "Börja om": a new conversation with the assistant for the same person (same sender
  // id, so their tickets stay theirs). Rasa forgets the conversation on "/restart".
  restart.addEventListener("click", async () => {
    if (busy) return;
    setBusy(true);
    const result = await postJson("/api/chat/restart", { sender: senderId() });
    setBusy(false);
    if (result.error) {
      addBubble("error", TEXT.restartFailed);
      return;
    }
    clearLog();
    if (result.body.length) showBotMessages(result.body, false);
    input.focus();
  });

  loadDepartments().then(showProfile);
  showProfile();
  input.focus();
  loadHistory().then(poll);
})();
