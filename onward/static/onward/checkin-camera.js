// The check-in page's scripts. Each step's form works without them (it posts to the page); with them,
// each step goes through the JSON API (onward/api/checkins.py) with the browser's session and the
// page's CSRF token, and the page stays where it is:
//   - the questions: PUT {answers} to the form's data-api-url;
//   - the camera asks for a challenge (data-challenge-url), records a clip from the live camera while
//     the whole screen shows each step's colour and move on time, sends it as multipart "media" with
//     the challenge's nonce, and asks data-status-url for the face result until it is ready. There is
//     no file picker: a browser that cannot record says so, and the check-in can be sent without;
//   - the location step asks for the phone's position once the person agrees, then sends it;
//   - sending retries after a lost connection with the same idempotency key, so a retry never makes
//     a second check-in, then opens data-sent-url.
// Error answers are {"detail": "…"}, with "errors": [{field, message}] when some input was wrong.

const RETRY_DELAYS_MS = [1000, 3000, 7000, 15000];
const STATUS_POLL_MS = 2000;
const STATUS_POLLS_MAX = 60;
const LEAD_MS = 300; // recording starts this long before the first step is shown
const TAIL_MS = 400; // and goes on this long after the last

export function initCheckinSteps(form) {
  const step = form.dataset.onwardStep;
  if (step === "answers") initAnswers(form);
  if (step === "location") initLocation(form);
  if (step === "submit") initResilientSubmit(form);
}

export function initCamera(root) {
  const form = root.closest("form");
  const canRecord =
    navigator.mediaDevices && navigator.mediaDevices.getUserMedia && typeof MediaRecorder !== "undefined" && pickVideoType() !== "";
  if (!form || !canRecord) {
    return; // the page's words stay: this browser cannot record; the check-in can be sent without a video
  }
  const texts = readTexts(root);
  root.querySelector(".onward-camera__cannot")?.setAttribute("hidden", "");

  const ui = document.createElement("div");
  ui.className = "onward-camera";
  ui.innerHTML = `
    <video class="onward-camera__preview" autoplay muted playsinline aria-label="${escapeHtml(texts.preview)}"></video>
    <p class="govuk-body onward-camera__status" role="status" aria-live="polite"></p>
    <button type="button" class="govuk-button onward-button-large onward-camera__start">${escapeHtml(texts.record)}</button>`;
  root.prepend(ui);
  const video = ui.querySelector("video");
  const status = ui.querySelector(".onward-camera__status");
  const start = ui.querySelector(".onward-camera__start");

  let stream = null;
  start.disabled = true; // until the camera is on
  showCameraStep(root, "starting");
  const constraints = { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } };
  navigator.mediaDevices
    .getUserMedia({ video: constraints, audio: true })
    .catch(() => navigator.mediaDevices.getUserMedia({ video: constraints, audio: false }))
    .then((s) => {
      stream = s;
      video.srcObject = s;
      status.textContent = texts.ready;
      start.disabled = false;
      showCameraStep(root, "ready");
    })
    .catch(() => {
      status.textContent = texts.noCamera;
      showCameraStep(root, "done"); // nothing to press: the check-in can be sent without a video
    });

  start.addEventListener("click", async () => {
    if (!stream) return;
    start.disabled = true;
    showCameraStep(root, "busy");
    let next = "ready";
    try {
      const asked = await callApi(form, root.dataset.challengeUrl, { method: "POST" });
      if (!asked.ok) {
        status.textContent = errorText(asked.body);
        return;
      }
      const received = performance.now();
      const clip = await recordChallenge(stream, asked.body, texts);
      status.textContent = texts.captured;
      // When recording started, on the server's clock: the challenge's issue time plus the time since
      // it arrived (the phone's own clock may be wrong).
      const recordedAt = new Date(Date.parse(asked.body.issued_at) + (clip.startedAt - received)).toISOString();
      await uploadAndWait(form, root, clip.file, { challenge_nonce: asked.body.nonce, recorded_at: recordedAt }, status, texts);
      next = cameraStepAfter(status, start);
    } catch (error) {
      status.textContent = texts.failed;
    } finally {
      start.disabled = false;
      showCameraStep(root, next);
    }
  });
}

// One next action at a time: the camera's step, as data-camera-step on its root, says whether
// onward.css shows its button ("starting"/"ready": Start; "retry": Start again, for another try;
// "busy": none; "done", after a good check or the last try: none, so the next action is "Send my check-in").
function showCameraStep(root, step) {
  root.dataset.cameraStep = step;
}

function cameraStepAfter(status, start) {
  if (status.dataset.faceStatus === "matched") return "done";
  if (start.hidden) return "done"; // no tries left
  return status.dataset.faceStatus ? "retry" : "ready";
}

// Records the clip for a challenge: the whole screen takes each step's colour at its time, with the
// move in large words (and the numbers to read aloud), while the camera records the face lit by it.
async function recordChallenge(stream, challenge, texts) {
  const type = pickVideoType();
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 1_000_000 });
  const chunks = [];
  recorder.addEventListener("dataavailable", (event) => event.data.size && chunks.push(event.data));
  const stopped = new Promise((resolve) => recorder.addEventListener("stop", resolve));
  const overlay = document.createElement("div");
  overlay.className = "onward-challenge";
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-modal", "true");
  overlay.innerHTML = `
    <p class="onward-challenge__move" aria-live="assertive"></p>
    <p class="onward-challenge__say"></p>`;
  const move = overlay.querySelector(".onward-challenge__move");
  const say = overlay.querySelector(".onward-challenge__say");
  if (challenge.digits) say.textContent = `${texts.say} ${challenge.digits.split("").join(" ")}`;
  document.body.append(overlay);
  document.documentElement.classList.add("onward-challenge-open");
  try {
    recorder.start(250);
    const startedAt = performance.now();
    await wait(LEAD_MS);
    const firstStep = performance.now();
    for (const step of challenge.steps) {
      await wait(Math.max(0, firstStep + step.start_ms - performance.now()));
      const [r, g, b] = step.screen_rgb;
      overlay.style.backgroundColor = `rgb(${r}, ${g}, ${b})`;
      overlay.style.color = 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#0b0c0c" : "#ffffff";
      overlay.dataset.move = step.move;
      move.textContent = step.instruction;
    }
    const last = challenge.steps[challenge.steps.length - 1];
    await wait(Math.max(0, firstStep + last.end_ms + TAIL_MS - performance.now()));
    recorder.stop();
    await stopped;
    const blob = new Blob(chunks, { type: type.split(";")[0] });
    const extension = blob.type.includes("mp4") ? "mp4" : "webm";
    return { file: new File([blob], `check-in.${extension}`, { type: blob.type }), startedAt };
  } finally {
    if (recorder.state !== "inactive") recorder.stop();
    overlay.remove();
    document.documentElement.classList.remove("onward-challenge-open");
  }
}

// Sends the clip with its challenge's nonce, then asks for the result every two seconds until the
// face check is done, and shows it in plain words.
async function uploadAndWait(form, root, file, fields, status, texts) {
  const body = new FormData();
  body.append("media", file);
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  const answer = await withRetries(() => callApi(form, form.dataset.apiUrl, { method: "POST", body }), status, texts);
  if (answer === null) {
    status.textContent = texts.lost;
    return;
  }
  if (!answer.ok) {
    status.textContent = errorText(answer.body);
    return;
  }
  status.textContent = texts.checking;
  for (let polls = 0; polls < STATUS_POLLS_MAX; polls += 1) {
    await wait(STATUS_POLL_MS);
    try {
      const state = await callApi(form, root.dataset.statusUrl, { method: "GET" });
      const face = state.ok ? state.body.face : null;
      if (face && face.status !== "pending" && face.status !== "none") {
        status.textContent = face.message;
        status.dataset.faceStatus = face.matched ? "matched" : face.status;
        if (state.body.attempts_left === 0) form.querySelector(".onward-camera__start")?.setAttribute("hidden", "");
        return;
      }
    } catch (error) {
      status.textContent = texts.retrying;
    }
  }
  status.textContent = texts.slow;
}

// The questions: each question's answer by its name (a list for check boxes), saved with PUT.
function initAnswers(form) {
  const status = form.querySelector("[data-onward-step-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = {};
    for (const element of form.elements) {
      if (!element.name || element.type === "hidden" || element.type === "submit") continue;
      if (element.type === "checkbox") {
        answers[element.name] = answers[element.name] || [];
        if (element.checked) answers[element.name].push(element.value);
      } else if (element.type === "radio") {
        if (element.checked) answers[element.name] = element.value;
      } else {
        answers[element.name] = element.value;
      }
    }
    await sendJson(form, "PUT", { answers }, status);
  });
}

// The location step: asks the browser for the position once the person has agreed, then sends it.
function initLocation(form) {
  if (!navigator.geolocation) return; // the plain form says the position could not be read
  const status = form.querySelector("[data-onward-step-status]");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!form.querySelector('input[name="consent"]')?.checked) {
      status.textContent = form.dataset.textConsent || "";
      return;
    }
    status.textContent = form.dataset.textFinding || "";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        sendJson(form, "POST", { latitude, longitude, accuracy_m: Math.round(accuracy), consent: true }, status);
      },
      () => {
        status.textContent = form.dataset.textDenied || "";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
    );
  });
}

// Sends the check-in, trying again after a lost connection or a server error. The form's
// idempotency key goes with every try, so the server stores it once.
function initResilientSubmit(form) {
  const status = form.querySelector("[data-onward-step-status]");
  const texts = { retrying: form.dataset.textRetrying || "" };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"], button:not([type])');
    if (button) button.disabled = true;
    const body = JSON.stringify({ idempotency_key: form.querySelector('input[name="idempotency_key"]').value });
    const answer = await withRetries(() => callApi(form, form.dataset.apiUrl, { method: "POST", body }), status, texts);
    if (answer !== null && answer.ok) {
      window.location.assign(form.dataset.sentUrl);
      return;
    }
    status.textContent = answer === null ? form.dataset.textGaveUp || "" : errorText(answer.body);
    if (button) button.disabled = false;
  });
}

// One JSON step: shows the answer's message, or what was wrong.
async function sendJson(form, method, payload, status) {
  const button = form.querySelector('button[type="submit"], button:not([type])');
  if (button) button.disabled = true;
  try {
    const answer = await callApi(form, form.dataset.apiUrl, { method, body: JSON.stringify(payload) });
    status.textContent = answer.ok ? answer.body.message : errorText(answer.body, form);
  } catch (error) {
    status.textContent = form.dataset.textGaveUp || "";
  } finally {
    if (button) button.disabled = false;
  }
}

// Calls the API with the session cookie and the page's CSRF token; {ok, status, body}. Throws on a
// lost connection or a server error, so callers may try again.
async function callApi(form, url, { method, body }) {
  const headers = { Accept: "application/json" };
  const token = form.querySelector('input[name="csrfmiddlewaretoken"]')?.value;
  if (token) headers["X-CSRFToken"] = token;
  if (typeof body === "string") headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, body, headers, credentials: "same-origin" });
  if (response.status >= 500) throw new Error(`server ${response.status}`);
  return { ok: response.ok, status: response.status, body: await response.json() };
}

// Tries `call` again after a lost connection or a server error; null when it never got through.
async function withRetries(call, status, texts) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= RETRY_DELAYS_MS.length) return null;
      if (status) status.textContent = texts.retrying;
      await wait(RETRY_DELAYS_MS[attempt]);
    }
  }
}

// An error answer in plain words: each wrong field with its question's words where the page has them.
function errorText(body, form) {
  const errors = (body && body.errors) || [];
  if (!errors.length) return (body && body.detail) || "";
  return errors
    .map(({ field, message }) => {
      const name = field.split(".").pop();
      const group = form?.querySelector(`[name="${CSS.escape(name)}"]`)?.closest(".govuk-form-group");
      const question = group?.querySelector("legend, label")?.textContent.trim();
      return question ? `${question}: ${message}` : message;
    })
    .join(" ");
}

function pickVideoType() {
  if (typeof MediaRecorder === "undefined") return "";
  for (const type of ["video/webm;codecs=vp8", "video/webm", "video/mp4;codecs=avc1", "video/mp4"]) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return "";
}

function readTexts(root) {
  const d = root.dataset;
  return {
    preview: d.textPreview || "Your camera",
    record: d.textRecord || "Start recording",
    say: d.textSay || "",
    noCamera: d.textNoCamera || "",
    ready: d.textReady || "",
    recording: d.textRecording || "",
    captured: d.textCaptured || "",
    failed: d.textFailed || "",
    checking: d.textChecking || "",
    retrying: d.textRetrying || "",
    lost: d.textLost || "",
    slow: d.textSlow || "",
  };
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}
