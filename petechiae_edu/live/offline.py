"""Live figures in a page with no kernel and no network (exported handouts, a folder or a USB stick, file://).

A page opened from file:// may not import a module from another file, so the ES module is written inline, once
per page, and each figure's state (SVG, spec, tables, control values) as inline JSON. A small fake model gives
the module anywidget's ``model.get / set / on / off / save_changes`` API; ``offline`` is true there, so controls
that need Python (bound with ``kernel=True``) are disabled with their note.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from .widget import ESM_PATH

LIVE_TRAITS = ("svg", "spec", "tables", "state", "presentation")

_BOOT = """
function fakeModel(state) {
  const listeners = {};
  return {
    get: (key) => state[key],
    set(key, value) { state[key] = value; (listeners[`change:${key}`] || []).forEach((f) => f()); },
    on(event, handler) { (listeners[event] = listeners[event] || []).push(handler); },
    off(event, handler) { listeners[event] = (listeners[event] || []).filter((f) => f !== handler); },
    save_changes() {},
    send() {},
  };
}
for (const mount of document.querySelectorAll("div.pe-live-mount")) {
  const data = JSON.parse(document.getElementById(mount.dataset.state).textContent);
  data.offline = true;
  render({ model: fakeModel(data), el: mount });
}
"""


def _json_for_script(value: object) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def figure_html(state: dict, key: str, title: str | None = None) -> str:
    """One live figure: an optional heading, the mount point and its state as inline JSON."""
    data = {name: state.get(name) for name in LIVE_TRAITS}
    heading = f"<h3>{escape(title)}</h3>\n" if title else ""
    return (
        f'{heading}<div class="pe-live-mount" data-state="pe-live-state-{escape(key)}"></div>\n'
        f'<script type="application/json" id="pe-live-state-{escape(key)}">{_json_for_script(data)}</script>\n'
    )


def module_script() -> str:
    """The front end and the code that mounts every live figure of the page (put it once, after the figures)."""
    code = ESM_PATH.read_text(encoding="utf-8").replace("export default { render };", "")
    return f'<script type="module">\n{code}\n{_BOOT}</script>\n'


def standalone_page(figures: Iterable[tuple[dict, str]], title: str) -> str:
    """A whole page of live figures ((state, heading) pairs): no kernel, no network (tests, quick handouts)."""
    body = "".join(figure_html(state, str(i), heading) for i, (state, heading) in enumerate(figures))
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n</head>\n<body>\n<main>\n'
        f"{body}</main>\n{module_script()}</body>\n</html>\n"
    )


def live_state(figure) -> dict:
    """The state a :class:`~petechiae_edu.live.LiveFigure` would store in a notebook."""
    return {name: getattr(figure, name) for name in LIVE_TRAITS}
