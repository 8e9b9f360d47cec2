// The check-in page's scripts. The camera records a short clip (or, where the browser cannot record
// video, takes a photo), puts it into the page's ordinary file input (so the form also works without
// this script), sends it and shows the face result when it is ready. The location step fills in the
// phone's position once the person agrees. Sending retries after a lost connection with the same
// idempotency key, so a retry never makes a second check-in.
//
// Markup it enhances (all inside one <form>):
//   <div data-module="onward-camera" data-seconds="4" data-challenge-text="Turn your head to the left">
//     <input type="file" name="media" accept="image/*,video/*" capture="user">   (the no-script way)
//   </div>
//   <input type="hidden" name="idempotency_key">

const RETRY_DELAYS_MS = [1000, 3000, 7000, 15000];

export function initCamera(root) {
  const form = root.closest("form");
  const input = root.querySelector('input[type="file"]');
  if (!form || !input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // keep the plain file input: the phone's own camera app takes over
  }
  const seconds = Number(root.dataset.seconds || "4");
  const texts = readTexts(root);
  const canRecord = typeof MediaRecorder !== "undefined" && pickVideoType() !== "";

  const ui = document.createElement("div");
  ui.className = "onward-camera";
  ui.innerHTML = `
    <video class="onward-camera__preview" autoplay muted playsinline aria-label="${escapeHtml(texts.preview)}"></video>
    <p class="govuk-body-l onward-camera__challenge" aria-live="assertive"></p>
    <p class="govuk-body onward-camera__status" role="status" aria-live="polite"></p>
    <button type="button" class="govuk-button onward-button-large onward-camera__start">${escapeHtml(canRecord ? texts.record : texts.photo)}</button>
    <button type="button" class="govuk-button govuk-button--secondary onward-camera__retake" hidden>${escapeHtml(texts.retake)}</button>`;
  root.prepend(ui);
  const video = ui.querySelector("video");
  const status = ui.querySelector(".onward-camera__status");
  const challenge = ui.querySelector(".onward-camera__challenge");
  const start = ui.querySelector(".onward-camera__start");
  const retake = ui.querySelector(".onward-camera__retake");
  const fallback = [input.closest(".govuk-form-group"), root.querySelector(".onward-camera__fallback-send")];
  fallback.forEach((element) => element?.setAttribute("hidden", ""));

  let stream = null;
  start.disabled = true; // until the camera is on
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
    .then((s) => {
      stream = s;
      video.srcObject = s;
      status.textContent = texts.ready;
      start.disabled = false;
    })
    .catch(() => {
      // No camera, or the person said no: show the plain file input again.
      ui.remove();
      fallback.forEach((element) => element?.removeAttribute("hidden"));
    });

  start.addEventListener("click", async () => {
    if (!stream) return;
    start.disabled = true;
    try {
      const file = canRecord ? await record(stream, seconds, challenge, status, texts) : await takePhoto(video);
      putFile(input, file);
      status.textContent = texts.captured;
      retake.hidden = false;
      await uploadAndWait(form, status, texts);
    } catch (error) {
      status.textContent = texts.failed;
    } finally {
      start.disabled = false;
      challenge.textContent = "";
    }
  });
  retake.addEventListener("click", () => {
    input.value = "";
    retake.hidden = true;
    status.textContent = texts.ready;
  });
}

// Sends the form's photo or clip as JSON-answering upload, then asks for the result every two
// seconds until the face check is done, and shows it in plain words.
async function uploadAndWait(form, status, texts) {
  let answer;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      answer = { ok: response.ok, body: await response.json() };
      break;
    } catch (error) {
      if (attempt >= RETRY_DELAYS_MS.length) {
        status.textContent = texts.lost;
        return;
      }
      status.textContent = texts.retrying;
      await wait(RETRY_DELAYS_MS[attempt]);
    }
  }
  if (!answer.ok) {
    status.textContent = (answer.body.errors || []).join(" ");
    return;
  }
  status.textContent = texts.checking;
  for (let polls = 0; polls < 60; polls += 1) {
    await wait(2000);
    try {
      const response = await fetch(answer.body.status_url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const state = await response.json();
      if (state.face && state.face.status !== "pending" && state.face.status !== "none") {
        status.textContent = state.face.message;
        status.dataset.faceStatus = state.face.matched ? "matched" : state.face.status;
        if (state.attempts_left === 0) form.querySelector(".onward-camera__start")?.setAttribute("hidden", "");
        return;
      }
    } catch (error) {
      status.textContent = texts.retrying;
    }
  }
  status.textContent = texts.slow;
}

// The location step: asks the browser for the position once the person has agreed, fills the
// form's hidden fields, then sends the form.
export function initLocation(form) {
  if (!navigator.geolocation) return;
  const status = form.querySelector("[data-onward-location-status]");
  form.addEventListener("submit", (event) => {
    if (form.dataset.onwardLocated === "true") return;
    event.preventDefault();
    if (status) status.textContent = form.dataset.textFinding || "";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector('input[name="latitude"]').value = position.coords.latitude.toFixed(6);
        form.querySelector('input[name="longitude"]').value = position.coords.longitude.toFixed(6);
        form.querySelector('input[name="accuracy"]').value = Math.round(position.coords.accuracy);
        form.dataset.onwardLocated = "true";
        form.requestSubmit();
      },
      () => {
        if (status) status.textContent = form.dataset.textDenied || "";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
    );
  });
}

// Sends a form with fetch, asking for a JSON answer, and tries again after a lost connection or a
// server error. The form's idempotency key goes with every try, so the server stores it once.
export function initResilientSubmit(form) {
  const status = form.querySelector("[data-onward-submit-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"], button:not([type])');
    if (button) button.disabled = true;
    const body = new FormData(form);
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetch(form.action || window.location.href, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.status >= 500) throw new Error(`server ${response.status}`);
        const answer = await response.json();
        if (response.ok) {
          window.location.assign(answer.next || window.location.pathname);
          return;
        }
        if (status) status.textContent = (answer.errors || []).join(" ");
        if (button) button.disabled = false;
        return;
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          if (status) status.textContent = form.dataset.textGaveUp || "";
          if (button) button.disabled = false;
          return;
        }
        if (status) status.textContent = form.dataset.textRetrying || "";
        await wait(RETRY_DELAYS_MS[attempt]);
      }
    }
  });
}

async function record(stream, seconds, challenge, status, texts) {
  const type = pickVideoType();
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 1_000_000 });
  const chunks = [];
  recorder.addEventListener("dataavailable", (event) => event.data.size && chunks.push(event.data));
  const stopped = new Promise((resolve) => recorder.addEventListener("stop", resolve));
  recorder.start(250);
  challenge.textContent = texts.challenge;
  for (let left = seconds; left > 0; left -= 1) {
    status.textContent = `${texts.recording} ${left}`;
    await wait(1000);
  }
  recorder.stop();
  await stopped;
  const blob = new Blob(chunks, { type: type.split(";")[0] });
  const extension = blob.type.includes("mp4") ? "mp4" : "webm";
  return new File([blob], `check-in.${extension}`, { type: blob.type });
}

async function takePhoto(video) {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth || 640;
  canvas.height = video.videoHeight || 480;
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
  return new File([blob], "check-in.jpg", { type: "image/jpeg" });
}

function pickVideoType() {
  if (typeof MediaRecorder === "undefined") return "";
  for (const type of ["video/webm;codecs=vp8", "video/webm", "video/mp4;codecs=avc1", "video/mp4"]) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return "";
}

function putFile(input, file) {
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
}

function readTexts(root) {
  const d = root.dataset;
  return {
    preview: d.textPreview || "Your camera",
    record: d.textRecord || "Start recording",
    photo: d.textPhoto || "Take a photo",
    retake: d.textRetake || "Do it again",
    ready: d.textReady || "",
    challenge: d.challengeText || "",
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
