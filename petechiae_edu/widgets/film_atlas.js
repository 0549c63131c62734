// Front end of the blood-film atlas (petechiae_edu.widgets.film_atlas): the drawn field as an image with an
// invisible clickable hotspot on each cell, the same cells as a keyboard-reachable list, a list of names and a
// polite live region for the feedback. Python computed the picture and the hotspot positions once (matplotlib's
// data-to-pixel transform); Python also judges each answer. No build step, nothing fetched.

const STYLE = `
.pe-film { font: 14px/1.4 system-ui, sans-serif; color: #111; max-width: 740px; }
.pe-film-stage { position: relative; width: 100%; }
.pe-film-stage img { display: block; width: 100%; height: auto; }
.pe-film-spot { position: absolute; aspect-ratio: 1; border-radius: 50%; border: 0; padding: 0; margin: 0;
  background: transparent; cursor: pointer; transform: translateY(-50%); min-width: 18px; }
.pe-film-spot:hover { box-shadow: 0 0 0 2px rgba(0, 114, 178, 0.55); }
.pe-film-spot[aria-pressed="true"] { box-shadow: 0 0 0 3px #0072b2, 0 0 0 5px #ffffff; }
.pe-film-cells { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
.pe-film-cells button, .pe-film-answer button { font: inherit; padding: 2px 8px; border: 1px solid #555;
  border-radius: 4px; background: #fff; color: #111; cursor: pointer; }
.pe-film-cells button[aria-pressed="true"] { background: #0072b2; color: #fff; border-color: #0072b2; }
.pe-film-cells button:focus-visible, .pe-film-answer button:focus-visible, .pe-film-answer select:focus-visible,
.pe-film-spot:focus-visible { outline: 3px solid #d55e00; outline-offset: 2px; }
.pe-film-answer { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; }
.pe-film-answer select { font: inherit; padding: 2px; }
.pe-film-feedback { min-height: 1.4em; font-weight: 600; }
`;

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "pe-film";
  const style = document.createElement("style");
  style.textContent = STYLE;
  const stage = document.createElement("div");
  stage.className = "pe-film-stage";
  const img = document.createElement("img");
  stage.appendChild(img);
  const spots = document.createElement("div");
  stage.appendChild(spots);

  const cellsHeading = document.createElement("div");
  cellsHeading.id = `pe-film-cells-${Math.random().toString(36).slice(2)}`;
  cellsHeading.textContent = "Cells to name (click one in the picture, or pick it here):";
  const cells = document.createElement("div");
  cells.className = "pe-film-cells";
  cells.setAttribute("role", "group");
  cells.setAttribute("aria-labelledby", cellsHeading.id);

  const answer = document.createElement("div");
  answer.className = "pe-film-answer";
  const label = document.createElement("label");
  label.textContent = "This cell is: ";
  const select = document.createElement("select");
  label.appendChild(select);
  const submit = document.createElement("button");
  submit.type = "button";
  submit.textContent = "Name it";
  answer.append(label, submit);

  const feedback = document.createElement("div");
  feedback.className = "pe-film-feedback";
  feedback.setAttribute("role", "status");
  feedback.setAttribute("aria-live", "polite");

  root.append(style, stage, cellsHeading, cells, answer, feedback);
  el.appendChild(root);
  // keys typed here belong to this widget, not to the notebook's shortcuts
  root.addEventListener("keydown", (event) => event.stopPropagation());

  function choose(index) {
    model.set("selected", index);
    model.save_changes();
  }

  function drawPicture() {
    img.src = model.get("image");
    img.alt = model.get("alt");
    // never wider than its CSS size: the PNG has 2 pixels per CSS pixel, so it stays sharp on dense screens
    const width = model.get("image_width");
    stage.style.maxWidth = width > 0 ? `${width}px` : "";
  }

  function drawSpots() {
    spots.replaceChildren();
    cells.replaceChildren();
    for (const spot of model.get("hotspots")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pe-film-spot";
      button.tabIndex = -1; // the list below is the keyboard route; 40 invisible tab stops would be a maze
      button.setAttribute("aria-label", spot.label);
      button.dataset.index = spot.index;
      button.style.left = `${(spot.left - spot.radius) * 100}%`;
      button.style.top = `${spot.top * 100}%`;
      button.style.width = `${spot.radius * 200}%`;
      button.addEventListener("click", () => choose(spot.index));
      spots.appendChild(button);
      const item = document.createElement("button");
      item.type = "button";
      item.textContent = spot.label;
      item.dataset.index = spot.index;
      item.addEventListener("click", () => choose(spot.index));
      cells.appendChild(item);
    }
    drawSelection();
  }

  function drawChoices() {
    select.replaceChildren();
    for (const name of model.get("choices")) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.appendChild(option);
    }
  }

  function drawSelection() {
    const selected = model.get("selected");
    for (const button of root.querySelectorAll("[data-index]")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.index) === selected));
    }
    submit.disabled = selected < 0;
  }

  submit.addEventListener("click", () => {
    model.send({ type: "name", index: model.get("selected"), name: select.value });
  });

  model.on("change:image", drawPicture);
  model.on("change:image_width", drawPicture);
  model.on("change:alt", drawPicture);
  model.on("change:hotspots", drawSpots);
  model.on("change:choices", drawChoices);
  model.on("change:selected", drawSelection);
  model.on("change:feedback", () => {
    feedback.textContent = model.get("feedback");
  });
  drawPicture();
  drawChoices();
  drawSpots();
  feedback.textContent = model.get("feedback");
}

export default { render };
