// Reading help for library articles and course lessons: read aloud with the browser's own speech
// (the Web Speech API, where the device has it), bigger or smaller text, and high contrast.
//
// Contract (library and courses both use it): any element with data-module="onward-read-aloud" gets a
// "Reading help" toolbar at its top. It reads the text of its [data-read-aloud-text] child (or of the
// whole element), in the language of the nearest lang attribute (normally <html lang>). Button words
// come from the element's data-label-* attributes (play, pause, resume, stop, larger, smaller, contrast,
// tools, no-speech), so the page translates them; English is the fallback. Text size and contrast are
// classes on <body> (onward-text-size-1..3, onward-high-contrast; CSS in onward.css), remembered in
// localStorage and applied on every person page by applyReadingPreferences().

const SIZE_KEY = "onward-text-size";
const CONTRAST_KEY = "onward-high-contrast";
const SIZE_MAX = 3;
const CHUNK_MAX_CHARS = 200; // long utterances stop early in some browsers: read sentence by sentence

const DEFAULT_LABELS = {
  tools: "Reading help",
  play: "Read aloud",
  pause: "Pause",
  resume: "Carry on",
  stop: "Stop",
  larger: "Bigger text",
  smaller: "Smaller text",
  contrast: "High contrast",
  noSpeech: "This device cannot read aloud. You can still make the text bigger or change the colours.",
};

export function applyReadingPreferences() {
  setSize(readNumber(SIZE_KEY));
  document.body.classList.toggle("onward-high-contrast", readStored(CONTRAST_KEY) === "on");
}

export function initReadAloud(root) {
  if (root.dataset.readAloudReady) return;
  root.dataset.readAloudReady = "yes";
  const labels = readLabels(root);
  const source = root.querySelector("[data-read-aloud-text]") || root;
  const speech = "speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined" ? window.speechSynthesis : null;

  const bar = document.createElement("div");
  bar.className = "onward-reading-tools";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", labels.tools);
  bar.innerHTML = `
    <div class="onward-reading-tools__speech">
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__play">${escapeHtml(labels.play)}</button>
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__pause" hidden>${escapeHtml(labels.pause)}</button>
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__stop" hidden>${escapeHtml(labels.stop)}</button>
    </div>
    <p class="govuk-body-s onward-reading-tools__no-speech" hidden>${escapeHtml(labels.noSpeech)}</p>
    <div class="onward-reading-tools__display">
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__smaller">${escapeHtml(labels.smaller)}</button>
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__larger">${escapeHtml(labels.larger)}</button>
      <button type="button" class="govuk-button govuk-button--secondary onward-reading-tools__contrast" aria-pressed="false">${escapeHtml(labels.contrast)}</button>
    </div>`;
  root.prepend(bar);

  const play = bar.querySelector(".onward-reading-tools__play");
  const pause = bar.querySelector(".onward-reading-tools__pause");
  const stop = bar.querySelector(".onward-reading-tools__stop");
  const contrast = bar.querySelector(".onward-reading-tools__contrast");
  contrast.setAttribute("aria-pressed", String(document.body.classList.contains("onward-high-contrast")));

  bar.querySelector(".onward-reading-tools__larger").addEventListener("click", () => changeSize(1));
  bar.querySelector(".onward-reading-tools__smaller").addEventListener("click", () => changeSize(-1));
  contrast.addEventListener("click", () => {
    const on = !document.body.classList.contains("onward-high-contrast");
    document.body.classList.toggle("onward-high-contrast", on);
    contrast.setAttribute("aria-pressed", String(on));
    store(CONTRAST_KEY, on ? "on" : "off");
  });

  if (!speech) {
    bar.querySelector(".onward-reading-tools__speech").hidden = true;
    bar.querySelector(".onward-reading-tools__no-speech").hidden = false;
    return;
  }

  let state = "stopped"; // stopped | speaking | paused
  const show = (next) => {
    state = next;
    play.hidden = next !== "stopped";
    pause.hidden = next === "stopped";
    stop.hidden = next === "stopped";
    pause.textContent = next === "paused" ? labels.resume : labels.pause;
  };

  play.addEventListener("click", () => {
    speech.cancel();
    const language = (source.closest("[lang]") || document.documentElement).lang || "en-GB";
    const chunks = splitForSpeech(textToRead(source, bar));
    chunks.forEach((chunk, index) => {
      const utterance = new SpeechSynthesisUtterance(chunk);
      utterance.lang = language;
      if (index === chunks.length - 1) {
        utterance.addEventListener("end", () => show("stopped"));
      }
      utterance.addEventListener("error", () => show("stopped"));
      speech.speak(utterance);
    });
    show("speaking");
    pause.focus();
  });
  pause.addEventListener("click", () => {
    if (state === "speaking") {
      speech.pause();
      show("paused");
    } else {
      speech.resume();
      show("speaking");
    }
  });
  stop.addEventListener("click", () => {
    speech.cancel();
    show("stopped");
    play.focus();
  });
  window.addEventListener("pagehide", () => speech.cancel());
}

// The words on screen, without the toolbar's own buttons (when the module reads its whole element).
function textToRead(source, bar) {
  if (!source.contains(bar)) return source.innerText || source.textContent || "";
  bar.hidden = true;
  const text = source.innerText || "";
  bar.hidden = false;
  return text;
}

export function splitForSpeech(text) {
  const sentences = text.replace(/\s+/g, " ").trim().match(/[^.!?]+[.!?]*\s*/g) || [];
  const chunks = [];
  let current = "";
  for (const sentence of sentences) {
    if ((current + sentence).length > CHUNK_MAX_CHARS && current) {
      chunks.push(current.trim());
      current = "";
    }
    current += sentence;
  }
  if (current.trim()) chunks.push(current.trim());
  return chunks;
}

function changeSize(step) {
  const size = Math.min(SIZE_MAX, Math.max(0, readNumber(SIZE_KEY) + step));
  setSize(size);
  store(SIZE_KEY, String(size));
}

function setSize(size) {
  for (let n = 1; n <= SIZE_MAX; n += 1) {
    document.body.classList.toggle(`onward-text-size-${n}`, n === size);
  }
}

function readLabels(root) {
  const d = root.dataset;
  return {
    tools: d.labelTools || DEFAULT_LABELS.tools,
    play: d.labelPlay || DEFAULT_LABELS.play,
    pause: d.labelPause || DEFAULT_LABELS.pause,
    resume: d.labelResume || DEFAULT_LABELS.resume,
    stop: d.labelStop || DEFAULT_LABELS.stop,
    larger: d.labelLarger || DEFAULT_LABELS.larger,
    smaller: d.labelSmaller || DEFAULT_LABELS.smaller,
    contrast: d.labelContrast || DEFAULT_LABELS.contrast,
    noSpeech: d.labelNoSpeech || DEFAULT_LABELS.noSpeech,
  };
}

// Storage can be off (private modes, locked-down kiosks): then the choice lasts for this page only.
function readStored(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function readNumber(key) {
  const value = Number.parseInt(readStored(key) || "0", 10);
  return Number.isFinite(value) ? Math.min(SIZE_MAX, Math.max(0, value)) : 0;
}

function store(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // not remembered; still applied
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
