// Services directory: "use where I am now". The form stays hidden unless the browser can share a
// position; on a press the browser asks the person, then the position (rounded to about 100 m, set
// by the page's data-decimals) goes with the search. Nothing is kept on the phone.
//
// Markup it enhances:
//   <form hidden data-module="onward-near-me" data-decimals="3" data-text-finding="…" data-text-denied="…">
//     <input type="hidden" name="lat"><input type="hidden" name="lon">
//     <p role="status" data-onward-near-me-status></p>
//   </form>

export function initNearMe(form) {
  if (!navigator.geolocation) return;
  form.hidden = false;
  const status = form.querySelector("[data-onward-near-me-status]");
  const decimals = Number(form.dataset.decimals || "3");
  form.addEventListener("submit", (event) => {
    if (form.dataset.onwardLocated === "true") return;
    event.preventDefault();
    if (status) status.textContent = form.dataset.textFinding || "";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector('input[name="lat"]').value = position.coords.latitude.toFixed(decimals);
        form.querySelector('input[name="lon"]').value = position.coords.longitude.toFixed(decimals);
        form.dataset.onwardLocated = "true";
        form.requestSubmit();
      },
      () => {
        if (status) status.textContent = form.dataset.textDenied || "";
      },
      { enableHighAccuracy: false, timeout: 20000, maximumAge: 60000 },
    );
  });
}
