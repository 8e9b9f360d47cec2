// Keeps what someone is writing in a message when the connection drops, the page is reloaded or the
// tablet goes to sleep.
//
// The server keeps the draft (it is put back in the box when the page loads, so it also works without
// this script through the "Save draft" button). This script saves it a moment after typing stops and
// when the page is hidden, and keeps a copy in this browser's storage only until the server has it: a
// shared tablet does not keep anyone's words longer than it must.
//
// Markup it enhances:
//   <form data-module="onward-draft" data-draft-url="…/draft/" data-draft-key="onward-draft:…"
//         data-draft-base="42" data-text-saved="…" data-text-offline="…" data-text-restored="…"
//         data-text-failed="…">
//     <textarea name="body">…</textarea>
//     <p role="status" aria-live="polite" data-onward-draft-status></p>
//   </form>
// data-draft-base is the id of the author's latest sent message: a copy kept on the device from before
// that send is the message now sent, so it is dropped; the server refuses a save from a page that has
// not seen the latest send (409), so a save racing a send cannot bring the sent words back.

const SAVE_AFTER_MS = 2000;

export function initDraft(form) {
  const textarea = form.querySelector("textarea[name='body']");
  const status = form.querySelector("[data-onward-draft-status]");
  const url = form.dataset.draftUrl;
  const key = form.dataset.draftKey;
  const base = form.dataset.draftBase || "0";
  if (!textarea || !url || !key) return;
  const texts = {
    saved: form.dataset.textSaved || "",
    offline: form.dataset.textOffline || "",
    restored: form.dataset.textRestored || "",
    failed: form.dataset.textFailed || "",
  };
  let timer = null;
  let submitting = false;
  let lastSaved = textarea.defaultValue; // what the server has now (it filled in the box)

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const kept = readCopy(key);
  if (textarea.value !== textarea.defaultValue) {
    // Typed before this script started, or put back by the browser: keep that.
    writeCopy(key, { body: textarea.value, base });
    schedule();
  } else if (kept && kept.base === base && kept.body !== textarea.value) {
    // A copy typed here (perhaps offline) that the server may not have yet.
    textarea.value = kept.body;
    say(texts.restored);
    schedule();
  } else if (kept) {
    removeCopy(key); // the server has it already, or it was the message since sent
  }

  textarea.addEventListener("input", () => {
    writeCopy(key, { body: textarea.value, base });
    schedule();
  });

  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      writeCopy(key, { body: textarea.value, base });
      say(texts.offline);
      return;
    }
    submitting = true; // the send (or "Save draft") takes the text from here
    clearTimeout(timer);
  });

  window.addEventListener("online", () => {
    if (readCopy(key)) save();
  });
  window.addEventListener("offline", () => {
    if (readCopy(key)) say(texts.offline);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitting = false; // back from a send that never left (the page was kept in memory)
  });

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_AFTER_MS);
  }

  function payload(body) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name='csrfmiddlewaretoken']")?.value || "");
    data.append("body", body);
    data.append("base", base);
    return data;
  }

  async function save() {
    clearTimeout(timer);
    if (submitting) return;
    const body = textarea.value;
    if (body === lastSaved) {
      removeCopy(key);
      return;
    }
    if (!navigator.onLine) {
      say(texts.offline);
      return;
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        body: payload(body),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        keepalive: true,
      });
      if (response.status === 409) {
        removeCopy(key); // this page is older than the latest send
        return;
      }
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        say((answer.errors || []).join(" ") || texts.failed);
        return;
      }
      lastSaved = body;
      if (textarea.value === body) removeCopy(key);
      say(texts.saved);
    } catch (error) {
      say(texts.offline); // no connection: the copy on the device stays until we are back online
    }
  }

  // The page is going away or out of sight (the tablet sleeps): send what is not saved yet.
  function flush() {
    if (submitting || textarea.value === lastSaved) return;
    clearTimeout(timer);
    writeCopy(key, { body: textarea.value, base });
    if (!navigator.onLine) return;
    if (navigator.sendBeacon && navigator.sendBeacon(url, payload(textarea.value))) {
      lastSaved = textarea.value; // the copy stays on the device until a page load confirms it
      return;
    }
    save();
  }
}

function readCopy(key) {
  try {
    const copy = JSON.parse(window.localStorage.getItem(key) || "null");
    return copy && typeof copy.body === "string" ? copy : null;
  } catch (error) {
    return null;
  }
}

function writeCopy(key, copy) {
  try {
    window.localStorage.setItem(key, JSON.stringify(copy));
  } catch (error) {
    // Storage full or refused (private browsing): the server copy still works.
  }
}

function removeCopy(key) {
  try {
    window.localStorage.removeItem(key);
  } catch (error) {
    // nothing to do
  }
}
