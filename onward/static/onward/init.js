// Starts GOV.UK Frontend's components. Loaded as a module, so no inline script is needed.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The check-in page: each step through the API, the camera, a send that survives a lost connection.
const cameras = document.querySelectorAll('[data-module="onward-camera"]');
const checkinSteps = document.querySelectorAll("form[data-onward-step]");
if (cameras.length || checkinSteps.length) {
  import("./checkin-camera.js").then(({ initCamera, initCheckinSteps }) => {
    cameras.forEach(initCamera);
    checkinSteps.forEach(initCheckinSteps);
  });
}

// Message pages: what is being written survives a lost connection, a reload or a sleeping tablet.
const draftForms = document.querySelectorAll('form[data-module="onward-draft"]');
if (draftForms.length) {
  import("./drafts.js").then(({ initDraft }) => draftForms.forEach(initDraft));
}

// The installed web app: the service worker, and the "Notifications on this phone" page.
if ("serviceWorker" in navigator) {
  import("./webapp.js").then(({ registerServiceWorker }) => registerServiceWorker());
}
const pushSettings = document.querySelectorAll('[data-module="onward-push"]');
if (pushSettings.length) {
  import("./push.js").then(({ initPush }) => pushSettings.forEach(initPush));
}

// Services directory: "use where I am now", only where the browser can share a position.
const nearMeForms = document.querySelectorAll('form[data-module="onward-near-me"]');
if (nearMeForms.length) {
  import("./directory.js").then(({ initNearMe }) => nearMeForms.forEach(initNearMe));
}

// Reading help (library articles, course lessons): read aloud, text size and contrast. The remembered
// text size and contrast apply on every person page.
const readAloud = document.querySelectorAll('[data-module="onward-read-aloud"]');
if (readAloud.length || document.body.classList.contains("onward-person")) {
  import("./read-aloud.js").then(({ applyReadingPreferences, initReadAloud }) => {
    applyReadingPreferences();
    readAloud.forEach(initReadAloud);
  });
}
