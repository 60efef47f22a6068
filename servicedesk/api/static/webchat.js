// En väg in – web chat. Talks only to this origin: POST /api/chat {sender, message}.
"use strict";

(() => {
  const SENDER_KEY = "envagin.sender";
  const TIMEOUT_MS = 20000;
  const MAX_LENGTH = 2000;
  const TEXT = {
    timeout: "Assistenten svarar inte just nu. Försök igen om en liten stund.",
    unreachable: "Assistenten går inte att nå just nu. Försök igen om en liten stund.",
    tooLong: `Meddelandet är för långt. Skriv högst ${MAX_LENGTH} tecken.`,
    invalid: "Meddelandet kunde inte skickas. Kontrollera texten och försök igen.",
    noAnswer: "Assistenten hade inget svar på det. Försök gärna formulera dig på ett annat sätt.",
    desk: "Servicedesken",
  };
  const POLL_MS = 2000;

  const log = document.getElementById("log");
  const hint = document.getElementById("hint");
  const typing = document.getElementById("typing");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
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

  function disableAnsweredButtons() {
    log.querySelectorAll(".msg__buttons button").forEach((b) => { b.disabled = true; });
  }

  function addButtons(item, buttons) {
    const row = document.createElement("div");
    row.className = "msg__buttons";
    for (const spec of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec.title;
      button.addEventListener("click", () => {
        if (busy) return;
        button.classList.add("is-chosen");
        submit(spec.payload, spec.title);
      });
      row.appendChild(button);
    }
    item.appendChild(row);
  }

  function showBotMessages(messages, heldByDesk) {
    if (!messages.length) {
      if (heldByDesk) return; // an agent has the conversation; the reply comes by polling

      addBubble("bot", TEXT.noAnswer);
      return;
    }
    for (const message of messages) {
      const item = addBubble("bot", message.text || "");
      if (!message.text) item.querySelector(".msg__bubble").remove();
      if (message.buttons && message.buttons.length) addButtons(item, message.buttons);
    }
    scrollDown();
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    send.disabled = value;
    if (value) scrollDown();
  }

  async function errorText(response) {
    if (response.status === 422) return TEXT.invalid;
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
    } catch (_) { /* not JSON: fall through */ }
    return TEXT.unreachable;
  }

  function profileFields() {
    const saved = profile() || {};
    const fields = {};
    if (saved.name) fields.name = saved.name;
    if (saved.department) fields.department = saved.department;
    return fields;
  }

  async function post(message) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(Object.assign({ sender: senderId(), message }, profileFields())),
        signal: controller.signal,
      });
      if (!response.ok) return { error: await errorText(response) };
      const heldByDesk = response.headers.get("X-Handled-By") === "desk";
      return { messages: await response.json(), heldByDesk };
    } catch (err) {
      return { error: err && err.name === "AbortError" ? TEXT.timeout : TEXT.unreachable };
    } finally {
      clearTimeout(timer);
    }
  }

  async function submit(message, shown) {
    const text = message.trim();
    if (!text || busy) return;
    if (text.length > MAX_LENGTH) {
      addBubble("error", TEXT.tooLong);
      return;
    }
    disableAnsweredButtons();
    addBubble("user", shown || text);
    setBusy(true);
    const result = await post(text);
    setBusy(false);
    if (result.error) addBubble("error", result.error);
    else showBotMessages(result.messages, result.heldByDesk);
    input.focus();
  }

  // Messages from the service desk (agent replies, notices, invitations) are fetched by
  // polling; the last id seen is kept per sender so a reload does not repeat them.
  function afterKey() {
    return `envagin.after.${senderId()}`;
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
          const item = addBubble(who, message.text || "", message.author === "agent" ? TEXT.desk : "");
          if (message.buttons && message.buttons.length) addButtons(item, message.buttons);
          localStorage.setItem(afterKey(), String(message.id));
        }
      }
    } catch (_) {
      /* offline for a moment: the next poll tries again */
    }
    setTimeout(poll, POLL_MS);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    submit(text);
  });

  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter makes a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  restart.addEventListener("click", () => {
    localStorage.setItem(SENDER_KEY, newId());
    log.querySelectorAll(".msg").forEach((node) => node.remove());
    if (hint) hint.hidden = false;
    input.focus();
  });

  loadDepartments().then(showProfile);
  showProfile();
  input.focus();
  poll();
})();
