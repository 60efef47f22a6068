// En väg in – web chat. Talks only to this origin: POST /api/chat {message, message_id},
// GET /api/chat/history (the conversation after a reload), POST /api/chat/restart
// ("Börja om"), GET /api/chat/stream (what the service desk sends, as server-sent
// events; GET /api/chat/messages is the polling fallback) and
// GET/PUT /api/chat/profile (name and förvaltning), GET/POST/DELETE /api/chat/link (link
// Telegram with a one-time code, unlink). Who the person is, the desk decides:
// its signed, HttpOnly cookie goes with every request; the page keeps no id of its own.
"use strict";

(() => {
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
    profileFailed: "Det gick inte att spara just nu. Försök igen om en liten stund.",
    linkFailed: "Det gick inte just nu. Försök igen om en liten stund.",
    linkedSince: (when) => `Telegram är kopplat till dig sedan ${when}. Dina ärenden syns i båda chattarna.`,
    unlinked: "Klart! Telegram är inte längre kopplat till dig.",
    queued: "Meddelandet skickas så snart assistenten har svarat.",
    desk: "Servicedesken",
    choices: "Svarsalternativ",
  };
  const POLL_MS = 2000;

  const log = document.getElementById("log"); // the list of messages
  const scroller = document.getElementById("log-region"); // the live region that scrolls
  const typing = document.getElementById("typing");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const note = document.getElementById("composer-note");
  const send = document.getElementById("send");
  const restart = document.getElementById("restart");
  let busy = false;
  let queued = false; // a message written while the page waited; sent when the wait ends
  let after = 0; // the newest desk message shown; the poll asks for what came after it
  let saved = null; // name and förvaltning as the desk keeps them
  const profileForm = document.getElementById("profile");
  const profileLine = document.getElementById("profile-line");
  const profileText = document.getElementById("profile-text");
  const profileName = document.getElementById("profile-name");
  const profileDepartment = document.getElementById("profile-department");
  const profileError = document.getElementById("profile-error");
  const profileSkip = document.getElementById("profile-skip");

  // Name and förvaltning are asked once and kept by the desk with the person; a message
  // never carries them. "Ändra" shows the form again.
  function showProfile() {
    const parts = [];
    if (saved && saved.name) parts.push(saved.name);
    if (saved && saved.department_name) parts.push(saved.department_name);
    profileText.textContent = parts.length ? parts.join(", ") : "";
    profileLine.hidden = !parts.length;
    profileForm.hidden = saved === null || saved.saved;
    document.getElementById("sign-out").hidden = !(saved && saved.signed_in);
  }

  let profileSaves = 0; // a profile read that began before a save must not undo it

  async function loadProfile() {
    const saves = profileSaves;
    const result = await request("/api/chat/profile", { headers: { Accept: "application/json" } });
    if (saves !== profileSaves) return; // saved meanwhile: the save's answer is newer
    saved = result.error ? null : result.body;
    showProfile();
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

  async function saveProfile(body) {
    profileSaves += 1;
    const result = await sendJson("PUT", "/api/chat/profile", body);
    profileError.hidden = !result.error;
    profileError.textContent = result.error ? TEXT.profileFailed : "";
    if (result.error) return;
    saved = result.body;
    showProfile();
    input.focus();
  }

  profileForm.addEventListener("submit", (event) => {
    event.preventDefault();
    saveProfile({ name: profileName.value.trim(), department: profileDepartment.value });
  });
  profileSkip.addEventListener("click", () => {
    if (saved && saved.saved) { // "Ändra" and then not: keep what was saved
      profileForm.hidden = true;
      profileError.hidden = true;
      input.focus();
      return;
    }
    saveProfile({});
  });
  document.getElementById("profile-edit").addEventListener("click", () => {
    profileName.value = (saved && saved.name) || "";
    profileDepartment.value = (saved && saved.department) || "";
    profileSkip.textContent = "Avbryt"; // changing it, not answering it the first time
    profileForm.hidden = false;
    profileName.focus();
  });

  function newId() {
    // randomUUID needs a secure context; plain http on a LAN address is not one.
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function scrollDown() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function addBubble(who, text, label) {
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
  }

  function disableAnsweredButtons() {
    log.querySelectorAll(".msg__buttons button").forEach((b) => { b.disabled = true; });
  }

  function addButtons(item, buttons, answered) {
    const row = document.createElement("div");
    row.className = "msg__buttons";
    row.setAttribute("role", "group"); // read as one set of answers to the question above
    row.setAttribute("aria-label", TEXT.choices);
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
    // What the person sent while the page waited stays in the box and goes now, after the
    // answer it waited for has been shown (so the conversation keeps its order).
    if (!value && queued) {
      queued = false;
      setTimeout(() => form.requestSubmit(), 0);
    }
  }

  // How long a message is as the server counts it: characters (not UTF-16 units), trimmed.
  function length(text) {
    return Array.from(text.trim()).length;
  }

  function showNote(text, invalid = true) {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 8;
    note.textContent = text;
    note.hidden = !text;
    input.setAttribute("aria-invalid", text && invalid ? "true" : "false");
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

  function sendJson(method, url, body) {
    return request(url, {
      method,
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
    const body = { message: text, message_id: newId() };
    let result = await sendJson("POST", "/api/chat", body);
    if (result.error && result.status === undefined) {
      result = await sendJson("POST", "/api/chat", body); // unreachable or timed out: once more
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
  // polling, after the newest one already shown (the history says which that is).
  function seenDeskMessage(id) {
    if (id > after) after = id;
  }

  function showDeskMessage(message) {
    if (message.id <= after) return; // already shown (a reconnect, or the history)
    const who = message.author === "agent" ? "agent" : "bot";
    addMessage(who, message, who === "agent" ? TEXT.desk : "");
    seenDeskMessage(message.id);
    if (message.author === "system") loadLinks(); // e.g. "Telegram är nu kopplat till dig"
  }

  async function poll() {
    try {
      const url = `/api/chat/messages?after=${after}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const messages = await response.json();
        messages.forEach(showDeskMessage);
      }
    } catch (_) {
      /* offline for a moment: the next poll tries again */
    }
    setTimeout(poll, POLL_MS);
  }

  // Server push: the desk's messages arrive as server-sent events. The browser reconnects
  // by itself and sends the id of the last event it saw, so nothing is lost in between.
  // A browser without EventSource, or a stream that keeps failing, falls back to polling.
  function listen() {
    if (!("EventSource" in window)) {
      poll();
      return;
    }
    let failures = 0;
    const source = new EventSource(`/api/chat/stream?after=${after}`);
    source.addEventListener("open", () => {
      failures = 0;
    });
    source.addEventListener("message", (event) => {
      failures = 0;
      try {
        showDeskMessage(JSON.parse(event.data));
      } catch (_) {
        /* a malformed event is skipped; the next one still counts */
      }
    });
    source.addEventListener("error", () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures > 5) {
        source.close();
        poll();
      }
    });
  }

  // After a reload: show the conversation so far (the bot's and the desk's messages).
  async function loadHistory() {
    setBusy(true, false);
    scroller.setAttribute("aria-busy", "true"); // the restored conversation is not news
    const result = await request("/api/chat/history", { headers: { Accept: "application/json" } });
    setBusy(false);
    if (result.error) {
      scroller.removeAttribute("aria-busy");
      addBubble("notice", result.status === 503 ? result.error : TEXT.history);
      return;
    }
    showHistory(result.body.messages || []);
    scroller.removeAttribute("aria-busy");
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
    if (!text.trim()) return;
    if (length(text) > MAX_LENGTH) { // said at once, also while the page is busy
      showNote(TEXT.tooLong); // the text stays in the box so it can be shortened
      input.focus();
      return;
    }
    if (busy) { // never dropped: kept in the box and sent when the answer has come
      queued = true;
      showNote(TEXT.queued, false);
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

  // "Börja om": a new conversation with the assistant for the same person (the same
  // cookie, so their tickets stay theirs). Rasa forgets the conversation on "/restart".
  restart.addEventListener("click", async () => {
    if (busy) return;
    setBusy(true);
    const result = await sendJson("POST", "/api/chat/restart", {});
    setBusy(false);
    if (result.error) {
      addBubble("error", TEXT.restartFailed);
      return;
    }
    clearLog();
    if (result.body.length) showBotMessages(result.body, false);
    input.focus();
  });

  // Linking Telegram: the desk issues a one-time code; the person sends it to the bot
  // (the deep link does it in one tap). Unlinking works from here or with /koppla_fran.
  const linkToggle = document.getElementById("link-toggle");
  const linkPanel = document.getElementById("link-panel");
  const linkStatus = document.getElementById("link-status");
  const linkUnlinked = document.getElementById("link-unlinked");
  const linkLinked = document.getElementById("link-linked");
  const linkCodeBox = document.getElementById("link-code-box");

  function showLinks(links) {
    const telegram = (links.linked || []).find((l) => l.channel === "telegram");
    linkLinked.hidden = !telegram;
    linkUnlinked.hidden = !!telegram;
    if (telegram) {
      linkCodeBox.hidden = true;
      const when = new Date(telegram.linked_at).toLocaleString("sv-SE", {
        dateStyle: "medium", timeStyle: "short",
      });
      document.getElementById("link-since").textContent = TEXT.linkedSince(when);
    }
    linkToggle.textContent = telegram ? "Telegram kopplat" : "Koppla Telegram";
  }

  async function loadLinks() {
    const result = await request("/api/chat/link", { headers: { Accept: "application/json" } });
    if (!result.error) showLinks(result.body);
  }

  linkToggle.addEventListener("click", () => {
    const open = linkPanel.hidden;
    linkPanel.hidden = !open;
    linkToggle.setAttribute("aria-expanded", String(open));
    linkStatus.textContent = "";
    if (open) {
      loadLinks();
      document.getElementById("link-title").focus();
    }
  });
  document.getElementById("link-title").tabIndex = -1;

  document.getElementById("link-get").addEventListener("click", async () => {
    const result = await sendJson("POST", "/api/chat/link", {});
    if (result.error) {
      linkStatus.textContent = TEXT.linkFailed;
      return;
    }
    const issued = result.body;
    document.getElementById("link-code").textContent = issued.code;
    document.getElementById("link-command").textContent = issued.command;
    document.getElementById("link-minutes").textContent = String(issued.valid_minutes);
    const deep = document.getElementById("link-deep");
    document.getElementById("link-deep-line").hidden = !issued.deep_link;
    if (issued.deep_link) deep.href = issued.deep_link;
    linkCodeBox.hidden = false;
    linkStatus.textContent = "";
  });

  document.getElementById("link-remove").addEventListener("click", async () => {
    const result = await request("/api/chat/link", {
      method: "DELETE", headers: { Accept: "application/json" },
    });
    if (result.error) {
      linkStatus.textContent = TEXT.linkFailed;
      return;
    }
    showLinks(result.body);
    linkStatus.textContent = TEXT.unlinked;
  });

  loadDepartments().then(loadProfile);
  loadLinks();
  input.focus();
  loadHistory().then(listen);
})();
