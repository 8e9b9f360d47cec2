// "Notifications on this phone": asks the browser's permission, subscribes with our public key and
// tells the server (the JSON API, with the session's CSRF token), or turns it all off again.
// Without script, or without push in this browser, the page's own words say it is not available.
import { registerServiceWorker } from "./webapp.js";

export async function initPush(root) {
  const key = root.dataset.publicKey;
  if (!key || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  const registration = await registerServiceWorker();
  if (!registration) return;
  const worker = await navigator.serviceWorker.ready;
  const parts = {
    unavailable: root.querySelector("[data-push-unavailable]"),
    controls: root.querySelector("[data-push-controls]"),
    status: root.querySelector("[data-push-status]"),
    on: root.querySelector("[data-push-on]"),
    off: root.querySelector("[data-push-off]"),
  };
  const api = new PushApi(root.dataset.subscriptionsUrl, root.dataset.csrfToken);
  const words = root.dataset;
  parts.unavailable.hidden = true;
  parts.controls.hidden = false;

  const show = (on, message, moveFocus = false) => {
    const denied = Notification.permission === "denied";
    parts.on.hidden = on || denied;
    parts.off.hidden = !on;
    parts.status.textContent = message || (denied ? words.textDenied : on ? words.textOn : words.textOff);
    if (moveFocus) (on ? parts.off : denied ? parts.status : parts.on).focus();
  };
  const busy = (button, isBusy) => {
    button.disabled = isBusy;
    button.setAttribute("aria-disabled", String(isBusy));
    if (isBusy) parts.status.textContent = words.textWorking;
  };

  const current = await worker.pushManager.getSubscription();
  show(Boolean(current) && Notification.permission === "granted");

  parts.on.addEventListener("click", async () => {
    busy(parts.on, true);
    try {
      if ((await Notification.requestPermission()) !== "granted") return show(false, "", true);
      const subscription =
        (await worker.pushManager.getSubscription()) ||
        (await worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
      await api.add(subscription);
      show(true, "", true);
    } catch {
      show(false, words.textFailed, true);
    } finally {
      busy(parts.on, false);
    }
  });

  parts.off.addEventListener("click", async () => {
    busy(parts.off, true);
    try {
      const subscription = await worker.pushManager.getSubscription();
      if (subscription) {
        await api.remove(subscription.endpoint);
        await subscription.unsubscribe();
      }
      show(false, "", true);
    } catch {
      show(true, words.textFailed, true);
    } finally {
      busy(parts.off, false);
    }
  });
}

class PushApi {
  constructor(url, csrfToken) {
    this.url = url;
    this.headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken };
  }

  async add(subscription) {
    const { endpoint, keys } = subscription.toJSON();
    const body = JSON.stringify({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } });
    const response = await fetch(this.url, { method: "POST", headers: this.headers, credentials: "same-origin", body });
    if (!response.ok) throw new Error(`The server answered ${response.status}`);
  }

  async remove(endpoint) {
    const response = await fetch(this.url, { headers: this.headers, credentials: "same-origin" });
    if (!response.ok) throw new Error(`The server answered ${response.status}`);
    const mine = (await response.json()).find((subscription) => subscription.endpoint === endpoint);
    if (!mine) return;
    const removed = await fetch(`${this.url}/${mine.id}`, {
      method: "DELETE",
      headers: this.headers,
      credentials: "same-origin",
    });
    if (!removed.ok && removed.status !== 404) throw new Error(`The server answered ${removed.status}`);
  }
}

// The public key as the Push API wants it: bytes, from base64url.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
