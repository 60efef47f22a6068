// En väg in – desk console. Same-origin fetches with the session cookie and CSRF header.
"use strict";

(() => {
  const CSRF = document.body.dataset.csrf || "";
  const POLL_MS = 2000;
  const NAMES = { person: "Beställaren", agent: "Servicedesken", bot: "Assistenten", system: "Systemet" };
  const notice = document.getElementById("notice");
  const FOCUS_KEY = "envagin-console-focus";

  function show(text) {
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
      if (Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
    } catch (_) { /* not JSON */ }
    if (response.status === 401) return "Du är utloggad. Logga in igen.";
    return "Det gick inte just nu. Försök igen.";
  }

  async function api(path, body) {
    const response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) {
      show(await errorText(response));
      return null;
    }
    return response.json();
  }

  // ---- the queue: refresh the rows in place -----------------------------------------
  const rows = document.getElementById("queue-rows");
  if (rows) {
    setInterval(async () => {
      try {
        const response = await fetch(rows.dataset.refresh, { credentials: "same-origin" });
        if (response.ok) rows.innerHTML = await response.text();
        const first = rows.querySelector("tr[data-total]");
        const total = document.getElementById("queue-total");
        const count = first ? Number(first.dataset.total) : 0;
        const text = `${count} ${count === 1 ? "ärende" : "ärenden"}`;
        // A status: a screen reader hears the new count, only when it changed.
        if (total && total.textContent !== text) total.textContent = text;
      } catch (_) { /* try again next time */ }
    }, 10000);
  }

  // ---- one ticket --------------------------------------------------------------------
  const root = document.getElementById("ticket");
  if (!root) return;
  const number = root.dataset.number;
  const base = `/api/tickets/${encodeURIComponent(number)}`;
  const thread = document.getElementById("thread");

  function append(message) {
    if (thread.querySelector(`[data-id="${message.id}"]`)) return;
    const item = document.createElement("li");
    item.className = `msg msg--${message.author}`;
    item.dataset.id = String(message.id);
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = NAMES[message.author] || message.author;
    item.appendChild(who);
    item.appendChild(document.createTextNode(message.text));
    thread.appendChild(item);
    thread.dataset.after = String(message.id);
    thread.scrollTop = thread.scrollHeight;
  }

  async function poll() {
    try {
      const response = await fetch(`${base}/messages?after=${thread.dataset.after || 0}`, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (response.ok) (await response.json()).forEach(append);
    } catch (_) { /* offline for a moment */ }
  }

  async function watch() {
    // Reload when someone else (or the idle timeout) changed the state or the takeover.
    try {
      const response = await fetch(base, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        const detail = await response.json();
        const held = detail.takeover ? "ja" : "nej";
        if (detail.state !== root.dataset.state || held !== root.dataset.takeover) {
          const reply = document.getElementById("reply");
          if (!reply || !reply.value.trim()) window.location.reload();
          else show("Ärendet har ändrats. Ladda om sidan när du har skickat ditt svar.");
        }
      }
    } catch (_) { /* try again */ }
  }

  setInterval(poll, POLL_MS);
  setInterval(watch, 5000);

  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      const action = button.dataset.action;
      let done = null;
      if (action === "takeover") done = await api(`${base}/takeover`);
      else if (action === "handback") done = await api(`${base}/handback`);
      else if (action === "transition") done = await api(`${base}/transition`, { to_state: button.dataset.state });
      else if (action === "assign") done = await api(`${base}/assign`, { agent: button.dataset.agent });
      else if (action === "assign-selected") {
        done = await api(`${base}/assign`, { agent: document.getElementById("assign-to").value });
      }
      if (done) {
        // The page reloads; keep a keyboard user's place: after a takeover the reply box,
        // after a hand-back the takeover button.
        const next = { takeover: "#reply", handback: "[data-action=takeover]" }[action];
        if (next) sessionStorage.setItem(FOCUS_KEY, next);
        window.location.reload();
      } else button.disabled = false;
    });
  });

  const reply = document.getElementById("reply-form");
  reply.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("reply");
    const text = box.value.trim();
    if (!text) return;
    const sent = await api(`${base}/messages`, { text });
    if (sent) {
      box.value = "";
      append(sent);
    }
  });

  const comment = document.getElementById("comment-form");
  comment.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = document.getElementById("comment");
    const text = box.value.trim();
    if (!text) return;
    if (await api(`${base}/comments`, { text, internal: true })) window.location.reload();
  });

  thread.scrollTop = thread.scrollHeight;
  const focusNext = sessionStorage.getItem(FOCUS_KEY);
  if (focusNext) {
    sessionStorage.removeItem(FOCUS_KEY);
    const target = document.querySelector(focusNext);
    if (target) target.focus();
  }
})();
