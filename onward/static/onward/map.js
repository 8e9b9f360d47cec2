// Staff maps on tiles (Leaflet), when a tile source is set. The page already shows every zone and fix on a
// plain grid in SVG (and a table of fixes); this only adds tiles on top, and takes them away again if no
// tile loads, so the outline always shows. On the zone form it adds drawing: click to add corners, then
// "Use this area" writes the polygon into the form (the typed fields do the same without a map).

const TILE_WAIT_MS = 8000;

function zoneLayer(L, feature) {
  const props = feature.properties || {};
  const colour = props.kind === "exclusion" ? "#d4351c" : "#1d70b8";
  if (feature.geometry.type === "Point" && props.radius_m) {
    const [lon, lat] = feature.geometry.coordinates;
    return L.circle([lat, lon], { radius: props.radius_m, color: colour, weight: 2, fillOpacity: 0.12 });
  }
  return L.geoJSON(feature, { style: { color: colour, weight: 2, fillOpacity: 0.12 } });
}

function fixLayer(L, feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const props = feature.properties;
  const colour = props.against ? "#d4351c" : "#0b0c0c";
  return L.featureGroup([
    L.circle([lat, lon], { radius: props.accuracy_m, color: colour, weight: 0, fillOpacity: 0.08 }),
    L.circleMarker([lat, lon], { radius: 4, color: colour, fillOpacity: 1 }).bindTooltip(props.time),
  ]);
}

function tiled(L, holder, container) {
  const map = L.map(container, { keyboard: true });
  let loaded = false;
  const layer = L.tileLayer(holder.dataset.tileUrl, { attribution: holder.dataset.tileAttribution || "" });
  layer.on("tileload", () => { loaded = true; });
  layer.addTo(map);
  window.setTimeout(() => {
    if (!loaded) {
      map.remove();
      container.remove(); // no tiles reachable: the plain grid stays
      holder.querySelector("svg")?.removeAttribute("hidden");
    }
  }, TILE_WAIT_MS);
  return map;
}

function dayMap(L, holder) {
  const container = document.createElement("div");
  container.className = "onward-map__tiles";
  holder.prepend(container);
  const map = tiled(L, holder, container);
  // A view first: Leaflet adds layers (and can measure a circle's bounds) only once the map has one.
  map.setView([54.5, -2.5], 6);
  const data = JSON.parse(holder.dataset.geojson || '{"features": []}');
  const group = L.featureGroup(
    data.features.map((feature) => (feature.properties && feature.properties.fix ? fixLayer(L, feature) : zoneLayer(L, feature))),
  ).addTo(map);
  if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [20, 20] });
}

function drawMap(L, holder) {
  const target = document.getElementById(holder.dataset.target);
  if (!target) return;
  holder.hidden = false;
  const container = document.createElement("div");
  container.className = "onward-map__tiles";
  holder.append(container);
  const map = tiled(L, holder, container);
  map.setView([54.5, -2.5], 6);
  const corners = [];
  const outline = L.polygon([], { color: "#d4351c" }).addTo(map);
  map.on("click", (event) => {
    corners.push([event.latlng.lng, event.latlng.lat]);
    outline.setLatLngs(corners.map(([lon, lat]) => [lat, lon]));
  });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = holder.dataset.useLabel || "Use this area";
  // Says what happened, for everyone and for screen readers: the area is taken, or more corners are needed.
  const status = document.createElement("p");
  status.className = "govuk-body";
  status.setAttribute("role", "status");
  button.addEventListener("click", () => {
    if (corners.length < 3) {
      status.textContent = holder.dataset.tooFewLabel || "Click at least 3 corners on the map first.";
      return;
    }
    const ring = [...corners, corners[0]];
    target.value = JSON.stringify({ type: "Feature", geometry: { type: "Polygon", coordinates: [ring] }, properties: {} });
    status.textContent = (holder.dataset.readyLabel || "Area drawn with {n} corners.").replace("{n}", String(corners.length));
  });
  holder.after(button, status);
}

function start() {
  const L = window.L;
  if (!L) return;
  document.querySelectorAll(".onward-map[data-tile-url]").forEach((holder) => {
    if (!holder.dataset.tileUrl) return;
    if (holder.dataset.geojson !== undefined) dayMap(L, holder);
    else if (holder.classList.contains("onward-map--draw")) drawMap(L, holder);
  });
}

start();
