// The page: shows the thread of the bot's messages and sends text, buttons and quiz
// answers to the server, which passes them through the same router as every chat.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const T = document.body.dataset;
  const seen = new Set();
  let csrf = "";
  let cursor = "";
  let timer = 0;
  let fastPolls = 0;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  };

  const status = (text) => {
    $("status").textContent = text || "";
    $("status").hidden = !text;
  };

  const signedOut = (text) => {
    const parts = ["chat", "composer", "devices", "devices-open", "dashboard-open"];
    for (const id of parts) $(id).hidden = true;
    if (text) $("signed-out-text").textContent = text;
    $("signed-out").hidden = false;
    status("");
    clearTimeout(timer);
  };

  async function api(method, path, body) {
    const options = { method, credentials: "same-origin", headers: {} };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = csrf;
      options.body = JSON.stringify(body || {});
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) {
      signedOut(data.error);
      throw new Error("signed out");
    }
    if (!response.ok) throw new Error(data.error || T.sendFailed);
    return data;
  }

  function mine(text) {
    const item = el("li", "msg me");
    item.append(el("p", "text", text));
    $("thread").append(item);
    item.scrollIntoView({ block: "end" });
  }

  function choiceButton(label, message, body, group) {
    const button = el("button", "choice", label);
    button.type = "button";
    button.addEventListener("click", async () => {
      for (const other of group.querySelectorAll("button")) other.disabled = true;
      button.setAttribute("aria-pressed", "true");
      try {
        await send({ row: message.id, ...body }, label);
      } catch (error) {
        for (const other of group.querySelectorAll("button")) other.disabled = false;
        button.removeAttribute("aria-pressed");
      }
    });
    return button;
  }

  function render(message) {
    const item = el("li", "msg bot");
    item.dataset.id = message.id;
    if (message.text) item.append(el("p", "text", message.text));
    if (message.quiz) {
      item.append(el("p", "question", message.quiz.question));
      const group = el("div", "options");
      message.quiz.options.forEach((option, index) => {
        group.append(choiceButton(option, message, { option: index }, group));
      });
      item.append(group);
    }
    if (message.buttons.length) {
      const group = el("div", "buttons");
      for (const line of message.buttons) {
        for (const button of line) {
          group.append(choiceButton(button.label, message, { data: button.data }, group));
        }
      }
      item.append(group);
    }
    for (const file of message.files) {
      if (file.kind === "image") {
        const image = el("img", "image");
        image.src = file.url;
        image.alt = file.caption || file.name;
        image.loading = "lazy";
        item.append(image);
      } else {
        const link = el("a", "file", file.label);
        link.href = file.url;
        link.download = file.name;
        item.append(link);
      }
      if (file.caption) item.append(el("p", "caption", file.caption));
    }
    item.append(el("time", "at", message.at));
    return item;
  }

  async function poll() {
    clearTimeout(timer);
    let added = 0;
    try {
      const query = cursor ? "?since=" + encodeURIComponent(cursor) : "";
      const data = await api("GET", "/api/thread" + query);
      cursor = data.cursor || cursor;
      for (const message of data.messages) {
        if (seen.has(message.id)) continue;
        seen.add(message.id);
        $("thread").append(render(message));
        added += 1;
      }
      $("empty").hidden = seen.size > 0;
      if (added) $("thread").lastElementChild.scrollIntoView({ block: "end" });
      status(navigator.onLine ? "" : T.offline);
    } catch (error) {
      if (error.message === "signed out") return;
      status(T.offline);
    }
    // Right after a send the answer is a moment away; otherwise look now and then.
    if (added) fastPolls = 0;
    const wait = fastPolls > 0 ? 700 : 15000;
    fastPolls = Math.max(0, fastPolls - 1);
    if (!document.hidden) timer = setTimeout(poll, wait);
  }

  async function send(body, echo) {
    const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    status(T.sending);
    try {
      await api("POST", "/api/send", { id, ...body });
    } catch (error) {
      status(error.message === "signed out" ? "" : error.message);
      throw error;
    }
    status("");
    mine(echo);
    fastPolls = 12;
    poll();
  }

  async function showDevices() {
    const data = await api("GET", "/api/devices");
    const list = $("device-list");
    list.replaceChildren();
    for (const device of data.devices) {
      const item = el("li", "device");
      item.append(el("strong", "", device.label), el("span", "line", device.line));
      if (device.current) {
        item.append(el("span", "badge", T.deviceThis));
      } else {
        const revoke = el("button", "danger", T.revoke);
        revoke.type = "button";
        revoke.addEventListener("click", async () => {
          await api("POST", "/api/devices/" + device.id + "/revoke");
          item.remove();
        });
        item.append(revoke);
      }
      list.append(item);
    }
    $("chat").hidden = $("composer").hidden = true;
    $("devices").hidden = false;
    $("devices-title").focus();
  }

  function hideDevices() {
    $("devices").hidden = true;
    $("chat").hidden = $("composer").hidden = false;
    $("devices-open").focus();
  }

  // Web Push: offered when the server has keys and the browser can; the subscription is
  // sent again on each start (harmless) so a server that lost it learns it back.
  const keyBytes = (text) => {
    const raw = atob((text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };

  async function setUpPush() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) return;
    const { key } = await api("GET", "/api/push");
    if (!key || Notification.permission === "denied") return;
    const registration = await navigator.serviceWorker.ready;
    const existing = await registration.pushManager.getSubscription();
    if (existing) {
      await api("POST", "/api/push", existing.toJSON());
      return;
    }
    const button = $("notify");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          status(T.notifyDenied);
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key),
        });
        const done = await api("POST", "/api/push", subscription.toJSON());
        button.hidden = true;
        status(done.message);
      } catch (error) {
        status(T.notifyFailed);
      }
    });
  }

  async function start() {
    try {
      const me = await api("GET", "/api/me");
      csrf = me.csrf;
      $("dashboard-open").hidden = !me.dashboard;
      for (const command of me.quick) {
        const chip = el("button", "chip", command);
        chip.type = "button";
        chip.addEventListener("click", () => send({ text: command }, command).catch(() => {}));
        $("quick").append(chip);
      }
    } catch (error) {
      if (error.message !== "signed out") status(T.offline);
      return;
    }
    $("chat").hidden = $("composer").hidden = $("devices-open").hidden = false;
    await poll();
    setUpPush().catch(() => {});
  }

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = $("text");
    const text = box.value.trim();
    if (!text) return;
    $("send").disabled = true;
    try {
      await send({ text }, text);
      box.value = "";
    } catch (error) {
      // The text stays in the box to send again.
    } finally {
      $("send").disabled = false;
      box.focus();
    }
  });
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("devices-open").addEventListener("click", () => showDevices().catch(() => {}));
  $("devices-close").addEventListener("click", hideDevices);
  $("logout").addEventListener("click", async () => {
    await api("POST", "/api/logout").catch(() => {});
    if ("serviceWorker" in navigator && "PushManager" in window) {
      const registration = await navigator.serviceWorker.getRegistration();
      const subscription = registration && (await registration.pushManager.getSubscription());
      if (subscription) await subscription.unsubscribe().catch(() => {});
    }
    signedOut();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && csrf) poll();
  });
  window.addEventListener("online", () => csrf && poll());
  window.addEventListener("offline", () => status(T.offline));
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
    navigator.serviceWorker.addEventListener("message", () => csrf && poll());
  }
  start();
})();
