// Front end of petechiae_edu.live.LiveFigure: draws controls from Python's specs, shows the static layer (an SVG
// that matplotlib rendered), and on each input moves the gid'd elements of that SVG and rewrites the description
// from tables Python computed once. It never computes a model: it only looks values up. No build step, no imports,
// nothing fetched, so the same file runs in JupyterLab, Voila and (inlined) in an offline handout page.

const STYLE = `
.pe-live { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; max-width: 100%;
  contain: layout paint style; }
.pe-live-row { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; margin: 4px 0; }
.pe-live-control { display: inline-flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; }
.pe-live-control input[type=range] { width: min(28em, 60vw); accent-color: #0072b2; }
.pe-live-control input[type=number] { width: 9ch; font: inherit; padding: 1px 3px; }
.pe-live-control select { font: inherit; padding: 1px 3px; max-width: 100%; }
.pe-live input:focus-visible, .pe-live select:focus-visible { outline: 3px solid #d55e00; outline-offset: 2px; }
.pe-live-unit { color: #333; }
.pe-live-play { font: inherit; min-width: 6.5em; padding: 2px 8px; }
.pe-live-note { border-left: 4px solid #555; padding: 0.2em 0.6em; background: #f3f3f3; font-size: 0.9em; }
.pe-live-figure { width: 100%; max-width: 60rem; background: #fff; }
.pe-live-presentation .pe-live-figure { max-width: 100%; }
.pe-live-presentation .pe-live-figure svg { max-height: 85vh; }
.pe-live-figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
.pe-live-description { margin: 6px 0; }
.pe-live-presentation { font-size: 20px; }
.pe-live-presentation input[type=range] { height: 28px; }
.pe-live-presentation .pe-live-moving path { stroke-width: 3.5px !important; }
`;

function decode(table) {
  if (table._decoded) return table._decoded;
  const bytes = Uint8Array.from(atob(table.data), (c) => c.charCodeAt(0));
  const kinds = { f32: Float32Array, u16: Uint16Array, u8: Uint8Array, i32: Int32Array };
  table._decoded = new kinds[table.dtype](bytes.buffer);
  return table._decoded;
}

function decimals(step) {
  let d = 0;
  while (d < 6 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9) d += 1;
  return d;
}

function roundTo(value, spec) {
  const d = decimals(spec.step);
  const snapped = spec.min + Math.round((value - spec.min) / spec.step) * spec.step;
  return Number(Math.min(spec.max, Math.max(spec.min, snapped)).toFixed(d));
}

function gridIndex(spec, value) {
  if (spec.kind === "slider") return Math.round((value - spec.min) / spec.step);
  if (spec.kind === "checkbox") return value ? 1 : 0;
  return spec.options.findIndex((option) => JSON.stringify(option[1]) === JSON.stringify(value));
}

function lookup(ctx, ref) {
  // -> {values: array-like of numbers, texts: array of strings or null}
  const table = ctx.tables[ref.table];
  let offset = 0;
  for (let i = 0; i < table.dims.length; i += 1) {
    const spec = ctx.controls[table.dims[i]];
    offset = offset * table.shape[i] + gridIndex(spec, ctx.state[table.dims[i]]);
  }
  const start = offset * table.width;
  const raw = decode(table).subarray(start, start + table.width);
  if (table.vocab) {
    const texts = Array.from(raw, (k) => table.vocab[k]);
    const numbers = table.numbers ? Array.from(raw, (k) => table.numbers[k]) : texts.map(Number);
    return { values: numbers, texts };
  }
  return { values: raw, texts: null };
}

function number(ctx, ref) {
  if (typeof ref === "number") return ref;
  if (ref.control !== undefined) return Number(ctx.state[ref.control]);
  const found = lookup(ctx, ref);
  return found.values[ref.item ?? 0];
}

function vector(ctx, ref) {
  if (typeof ref === "number") return [ref];
  if (ref.control !== undefined) return [Number(ctx.state[ref.control])];
  return lookup(ctx, ref).values;
}

function text(ctx, ref) {
  if (typeof ref === "string") return ref;
  if (typeof ref === "number") return String(ref);
  if (ref.control !== undefined) {
    const spec = ctx.controls[ref.control];
    const value = ctx.state[ref.control];
    if (spec.kind === "slider") return String(roundTo(value, spec));
    if (spec.kind === "dropdown") return spec.options[gridIndex(spec, value)][0];
    return String(value);
  }
  const found = lookup(ctx, ref);
  return found.texts ? found.texts[ref.item ?? 0] : String(found.values[ref.item ?? 0]);
}

function toSvg(axis, value) {
  const [scale, a, b] = axis;
  const v = scale === "log" ? Math.log10(Math.max(value, 1e-300)) : value;
  return a + b * v;
}

function clampTo(axis, value) {
  const [low, high] = axis[3];
  return Math.min(Math.max(value, Math.min(low, high)), Math.max(low, high));
}

function point(ctx, mark, x, y) {
  const axes = ctx.axes[mark.axes];
  if (mark.clamp) {
    x = clampTo(axes.x, x);
    y = clampTo(axes.y, y);
  }
  return [toSvg(axes.x, x), toSvg(axes.y, y)];
}

function pathData(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(2)} ${y.toFixed(2)}`).join(" ");
}

function byGid(ctx, gid) {
  return ctx.svg.querySelector(`[id="${gid}"]`);
}

// Give every drawn path of a gid'd artist new path data. matplotlib writes a line as a <path>, a hatched fill as
// two <path>s (colour, hatch) and a collection as a <path> in <defs> placed by <use x y>: handle all three.
function setPathData(ctx, gid, d) {
  const group = byGid(ctx, gid);
  if (!group) return;
  for (const path of group.querySelectorAll("path")) {
    if (!path.closest("defs, pattern")) path.setAttribute("d", d);
  }
  for (const use of group.querySelectorAll("use")) {
    const target = group.querySelector(`defs [id="${(use.getAttribute("xlink:href") || use.getAttribute("href") || "").slice(1)}"]`);
    if (!target) continue;
    target.setAttribute("d", d);
    use.setAttribute("x", "0");
    use.setAttribute("y", "0");
  }
}

const MARKS = {
  path(ctx, mark) {
    const xs = vector(ctx, mark.x);
    const ys = vector(ctx, mark.y);
    setPathData(ctx, mark.gid, pathData(Array.from(xs, (x, i) => point(ctx, mark, x, ys[i]))));
  },
  band(ctx, mark) {
    const xs = Array.from(vector(ctx, mark.x));
    const low = vector(ctx, mark.low);
    const high = vector(ctx, mark.high);
    const upper = xs.map((x, i) => point(ctx, mark, x, high[i]));
    const lower = xs.map((x, i) => point(ctx, mark, x, low[i])).reverse();
    setPathData(ctx, mark.gid, `${pathData([...upper, ...lower])} Z`);
  },
  vline(ctx, mark) {
    const axes = ctx.axes[mark.axes];
    let x = number(ctx, mark.x);
    if (mark.clamp) x = clampTo(axes.x, x);
    const sx = toSvg(axes.x, x);
    setPathData(ctx, mark.gid, pathData([[sx, axes.box[1]], [sx, axes.box[3]]]));
  },
  hline(ctx, mark) {
    const axes = ctx.axes[mark.axes];
    let y = number(ctx, mark.y);
    if (mark.clamp) y = clampTo(axes.y, y);
    const sy = toSvg(axes.y, y);
    setPathData(ctx, mark.gid, pathData([[axes.box[0], sy], [axes.box[2], sy]]));
  },
  points(ctx, mark) {
    const uses = byGid(ctx, mark.gid)?.querySelectorAll("use") ?? [];
    mark.x.forEach((xRef, i) => {
      if (!uses[i]) return;
      const [sx, sy] = point(ctx, mark, number(ctx, xRef), number(ctx, mark.y[i]));
      uses[i].setAttribute("x", sx.toFixed(2));
      uses[i].setAttribute("y", sy.toFixed(2));
    });
  },
  scatter(ctx, mark, index) {
    const key = `scatter-${mark.gid ?? index}`;
    let group = ctx.svg.querySelector(`[data-pe-scatter="${key}"]`);
    if (!group) {
      group = document.createElementNS("http://www.w3.org/2000/svg", "g");
      group.setAttribute("data-pe-scatter", key);
      ctx.svg.querySelector("svg").appendChild(group);
    }
    group.setAttribute("fill", text(ctx, mark.fill));  // a colour, or a text table of colours (e.g. per skin tone)
    const parts = [];
    mark.pools.forEach((poolRef, i) => {
      const pool = vector(ctx, poolRef);
      const count = number(ctx, mark.counts[i]);
      for (let k = 0; k < count; k += 1) {
        const [sx, sy] = point(ctx, mark, pool[2 * k], pool[2 * k + 1]);
        parts.push(`M${(sx - mark.radius).toFixed(2)} ${sy.toFixed(2)}a${mark.radius} ${mark.radius} 0 1 0 ` +
          `${2 * mark.radius} 0a${mark.radius} ${mark.radius} 0 1 0 ${-2 * mark.radius} 0`);
      }
    });
    let path = group.querySelector("path");
    if (!path) {
      path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      group.appendChild(path);
    }
    path.setAttribute("d", parts.join(""));
    group.setAttribute("data-count", String(parts.length));
  },
  text(ctx, mark) {
    const target = byGid(ctx, mark.gid)?.querySelector("text");
    if (target) target.textContent = text(ctx, mark.text);
  },
  show(ctx, mark) {
    const target = byGid(ctx, mark.gid);
    if (target) target.style.display = number(ctx, mark.when) ? "" : "none";
  },
};

// A browser-side Play for a slider (spec.play = {interval_ms, label}): a labelled toggle button that steps the
// slider by its step every interval_ms and stops at the end; pressed at the end it starts again from the start.
// It only moves the slider as a student would (no kernel needed), so it works in a handout too.
function playButton(c, input, step) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "pe-live-play";
  const label = c.play.label || `Play ${c.label}`;
  let timer = null;
  function shown(playing) {
    button.textContent = playing ? "⏸ Pause" : "▶ Play";
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    button.setAttribute("aria-label", playing ? `Pause (${label})` : label);
    button.title = playing ? "Pause" : label;
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    shown(false);
  }
  function tick() {
    const now = Number(input.value);
    if (now >= c.max - c.step / 2) { stop(); return; }
    step(Math.min(c.max, now + c.step * (c.play.step_count || 1)));
    if (Number(input.value) >= c.max - c.step / 2) stop();
  }
  button.addEventListener("click", () => {
    if (timer !== null) { stop(); return; }
    if (Number(input.value) >= c.max - c.step / 2) step(c.min);
    shown(true);
    timer = setInterval(tick, Math.max(16, c.play.interval_ms || 500));
  });
  shown(false);
  return { button, stop };
}

function build(model, el, focused) {
  const spec = model.get("spec");
  const controls = Object.fromEntries(spec.controls.map((c) => [c.name, c]));
  const ctx = { controls, tables: model.get("tables"), axes: spec.axes, state: { ...model.get("state") } };
  const root = document.createElement("div");
  root.className = "pe-live";
  root.setAttribute("data-pe-live", spec.name || "");
  // keys pressed in the explorer stay in it: JupyterLab's notebook shortcuts never see them
  root.addEventListener("keydown", (event) => event.stopPropagation());
  const style = document.createElement("style");
  style.textContent = STYLE;
  root.appendChild(style);
  const offline = Boolean(model.get("offline"));
  const inputs = {};
  const players = [];

  // The figure first, the kernel after: the new state is sent once the frame showing it is painted (and moves
  // within one frame go as one message), so a kernel's comm traffic never delays what the student sees.
  // (A hidden tab has no frames: a timer sends it then.)
  let sending = false;
  function send() {
    if (!sending) return;
    sending = false;
    model.set("state", { ...ctx.state });
    model.save_changes();
  }
  function changed(name, value) {
    ctx.state = { ...ctx.state, [name]: value };
    show();
    if (!sending) {
      sending = true;
      requestAnimationFrame(() => setTimeout(send, 0));
      setTimeout(send, 100);
    }
  }

  for (const row of spec.rows) {
    const line = document.createElement("div");
    line.className = "pe-live-row";
    for (const name of row) {
      const c = controls[name];
      const box = document.createElement("div");
      box.className = "pe-live-control";
      const id = `pe-live-${Math.random().toString(36).slice(2)}`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = c.kind === "slider" ? `${c.label} (${c.unit})` : c.label;
      let input;
      if (c.kind === "slider") {
        input = document.createElement("input");
        Object.assign(input, { type: "range", id, min: c.min, max: c.max, step: c.step });
        input.setAttribute("aria-valuetext", "");
        const typed = document.createElement("input");
        Object.assign(typed, { type: "number", min: c.min, max: c.max, step: c.step });
        typed.setAttribute("aria-label", `${c.label}, typed (${c.unit})`);
        const unit = document.createElement("span");
        unit.className = "pe-live-unit";
        unit.textContent = c.unit;
        const moveTo = (raw) => {
          const value = roundTo(Number(raw), c);
          typed.value = String(value);
          input.value = String(value);
          changed(name, value);
        };
        input.addEventListener("input", () => moveTo(input.value));
        typed.addEventListener("change", () => {
          if (typed.value === "" || !Number.isFinite(Number(typed.value))) return;
          moveTo(typed.value);
        });
        box.append(label, input, typed, unit);
        inputs[name] = { set: (v) => { input.value = String(v); typed.value = String(roundTo(v, c)); }, all: [input, typed] };
        inputs[name].range = input;
        if (c.play) {
          const player = playButton(c, input, moveTo);
          players.push(player);
          box.appendChild(player.button);
          inputs[name].all.push(player.button);
        }
      } else if (c.kind === "checkbox") {
        input = document.createElement("input");
        Object.assign(input, { type: "checkbox", id });
        input.addEventListener("change", () => changed(name, input.checked));
        box.append(input, label);
        inputs[name] = { set: (v) => { input.checked = Boolean(v); }, all: [input] };
      } else {
        input = document.createElement("select");
        input.id = id;
        c.options.forEach(([text, value], i) => {
          const option = document.createElement("option");
          option.value = String(i);
          option.textContent = text;
          input.appendChild(option);
          option.dataset.value = JSON.stringify(value);
        });
        input.addEventListener("change", () => changed(name, c.options[Number(input.value)][1]));
        box.append(label, input);
        inputs[name] = { set: (v) => { input.value = String(gridIndex(c, v)); }, all: [input] };
      }
      box.dataset.control = name;
      if (c.kernel) box.dataset.kernel = "true";  // a change goes through Python (tests and the benchmark skip it)
      if (c.kernel && offline) {
        inputs[name].all.forEach((element) => { element.disabled = true; });
        const note = document.createElement("span");
        note.className = "pe-live-note";
        note.setAttribute("role", "note");
        note.textContent = c.note || "Needs Python: open the lesson in Jupyter to change this.";
        box.appendChild(note);
      }
      line.appendChild(box);
    }
    root.appendChild(line);
  }

  const description = document.createElement("p");
  description.className = "pe-live-description petechiae-edu-description";
  description.setAttribute("role", "status");
  description.setAttribute("aria-live", "polite");
  const figure = document.createElement("div");
  figure.className = "pe-live-figure";
  figure.setAttribute("role", "img");
  root.append(description, figure);
  ctx.svg = figure;

  function loadSvg() {
    figure.innerHTML = model.get("svg");
    const svg = figure.querySelector("svg");
    if (svg) {
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("aria-hidden", "true");
    }
    for (const mark of spec.marks) {
      const target = mark.gid ? byGid(ctx, mark.gid) : null;
      if (target) target.classList.add("pe-live-moving");
    }
  }

  function show() {
    spec.marks.forEach((mark, i) => MARKS[mark.kind](ctx, mark, i));
    const sentence = spec.description.map((part) => text(ctx, part)).join("");
    description.textContent = sentence;
    figure.setAttribute("aria-label", sentence);
    for (const [name, input] of Object.entries(inputs)) {
      if (input.range) input.range.setAttribute("aria-valuetext", `${text(ctx, { control: name })} ${controls[name].unit}`);
    }
  }

  function presentation() {
    root.classList.toggle("pe-live-presentation", Boolean(model.get("presentation")));
  }

  loadSvg();
  for (const [name, input] of Object.entries(inputs)) input.set(ctx.state[name]);
  presentation();
  show();
  el.appendChild(root);
  if (focused && focused.name in inputs) inputs[focused.name].all[focused.index]?.focus();

  return {
    fromModel() {
      const incoming = model.get("state");
      if (JSON.stringify(incoming) === JSON.stringify(ctx.state)) return;
      ctx.state = { ...incoming };
      for (const [name, input] of Object.entries(inputs)) input.set(ctx.state[name]);
      show();
    },
    svg() { loadSvg(); show(); },
    tables() { ctx.tables = model.get("tables"); show(); },
    presentation,
    focused() {
      // which control had the focus (to give it back after a rebuild)
      for (const [name, input] of Object.entries(inputs)) {
        const index = input.all.indexOf(document.activeElement);
        if (index >= 0) return { name, index };
      }
      return null;
    },
    remove() {
      players.forEach((player) => player.stop());
      root.remove();
    },
  };
}

function render({ model, el }) {
  let view = build(model, el, null);
  // Python may change the spec (axes, slider ranges, marks), the static layer and the tables together (a kernel
  // path, or a new start()): changes that arrive in one message are applied once, after all of them are set.
  let pending = null;
  function later(what) {
    if (pending === null) {
      pending = new Set();
      queueMicrotask(() => {
        const jobs = pending;
        pending = null;
        if (jobs.has("spec")) {
          const focused = view.focused();
          view.remove();
          view = build(model, el, focused);
          return;
        }
        if (jobs.has("svg")) view.svg();
        if (jobs.has("tables")) view.tables();
        if (jobs.has("state")) view.fromModel();
      });
    }
    pending.add(what);
  }
  const handlers = {
    "change:state": () => later("state"),
    "change:svg": () => later("svg"),
    "change:tables": () => later("tables"),
    "change:spec": () => later("spec"),
    "change:presentation": () => view.presentation(),
  };
  for (const [event, handler] of Object.entries(handlers)) model.on(event, handler);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) model.off(event, handler);
    view.remove();
  };
}

export default { render };
