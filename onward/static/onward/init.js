// Starts GOV.UK Frontend's components. Loaded as a module, so no inline script is needed.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Check-in pages: the camera and a submit that survives a lost connection.
const cameras = document.querySelectorAll('[data-module="onward-camera"]');
const resilientForms = document.querySelectorAll('form[data-module="onward-resilient-submit"]');
const locationForms = document.querySelectorAll('form[data-module="onward-location"]');
if (cameras.length || resilientForms.length || locationForms.length) {
  import("./checkin-camera.js").then(({ initCamera, initLocation, initResilientSubmit }) => {
    cameras.forEach(initCamera);
    resilientForms.forEach(initResilientSubmit);
    locationForms.forEach(initLocation);
  });
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
