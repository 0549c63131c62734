"""Live explorers in exported handouts: inline their front end and data, and say what still needs Python.

Each displayed output whose widget tree holds a live figure (:mod:`petechiae_edu.live`) becomes plain HTML: the
app's heading and the live figure's mount point with its state inline (:mod:`petechiae_edu.live.offline`), so it
runs from file:// with no kernel and no network. Other widgets stay as the widget renderer shows them (their first
state, frozen). A banner at the top of the page says which is which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

import nbformat

from ..live import KIND
from ..live.offline import figure_html, module_script

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# widgets a student acts on: in a handout their answer or figure would need the kernel
CONTROL_MODELS = ("Slider", "Dropdown", "Checkbox", "Button", "Text", "RadioButtons", "Select", "ToggleButton")


@dataclass
class LivePage:
    """What a page holds: live figures written inline, the controls they disable, other kernel-bound widgets."""

    live: list[str] = field(default_factory=list)  # titles of the live explorers
    disabled: list[str] = field(default_factory=list)  # "<explorer>: <control label>" disabled (kernel path)
    needs_python: list[str] = field(default_factory=list)  # titles of other widgets that need a kernel

    def banner(self) -> str:
        """The note at the top of the page (role=note), or '' when the page has no widgets at all."""
        parts = []
        if self.live:
            parts.append(f"<strong>Works without Python:</strong> {escape(_listed(self.live))} (move the controls).")
        needs = [*self.disabled, *self.needs_python]
        if needs:
            parts.append(
                f"<strong>Needs Python</strong> (open the lesson in Jupyter: <code>petechiae-edu lab</code>): "
                f"{escape(_listed(needs))}. Those controls are disabled or show their first state only."
            )
        elif self.live:
            parts.append("Everything on this page works without Python.")
        if not parts:
            return ""
        return (
            '<aside class="petechiae-edu-banner" role="note" style="border:2px solid #0072b2;padding:0.4em 0.8em;'
            'margin:0.5em 1em;background:#eef6fb;font-family:system-ui,sans-serif">' + " ".join(parts) + "</aside>"
        )


def _listed(names: list[str]) -> str:
    names = list(dict.fromkeys(names))
    return "; ".join(names)


def _refs(value: object) -> list[str]:
    if isinstance(value, str):
        return [value[len("IPY_MODEL_") :]] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, list):
        return [found for item in value for found in _refs(item)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _refs(item)]
    return []


def _tree(model_id: str, state: dict, seen: set[str] | None = None) -> list[str]:
    """The model and every model it refers to, depth first, in order."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    found = [model_id]
    for child in _refs(state[model_id].get("state", {})):
        found += _tree(child, state, seen)
    return found


def _is_live(model: dict) -> bool:
    return model.get("state", {}).get("kind") == KIND


def _heading(ids: list[str], state: dict) -> str:
    for model_id in ids:
        value = state[model_id].get("state", {}).get("value")
        if isinstance(value, str):
            match = re.search(r"<h\d[^>]*>(.*?)</h\d>", value)
            if match:
                return re.sub(r"<[^>]+>", "", match.group(1))
    return "an interactive widget"


def inline_live_figures(notebook: nbformat.NotebookNode) -> LivePage:
    """Replace outputs that hold live figures with inline HTML; list what else needs Python (see the banner)."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    page = LivePage()
    for cell in notebook.cells:
        for index, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if not view:
                continue
            ids = _tree(view.get("model_id", ""), state)
            live = [model_id for model_id in ids if _is_live(state[model_id])]
            if not live:
                names = [state[m].get("model_name", "") for m in ids]
                if any(control in name for name in names for control in CONTROL_MODELS):
                    page.needs_python.append(_heading(ids, state))
                continue
            title = _heading(ids, state)
            html = ""
            for number, model_id in enumerate(live):
                live_state = state[model_id]["state"]
                html += figure_html(live_state, f"{model_id}-{number}", title if number == 0 else None)
                page.live.append(title)
                for control in live_state.get("spec", {}).get("controls", []):
                    if control.get("kernel"):
                        page.disabled.append(f"{title}: {control['label']}")
            cell.outputs[index] = nbformat.v4.new_output("display_data", data={"text/html": html})
    return page


def finish_page(html: str, page: LivePage) -> str:
    """Put the banner at the top of the body and the live module (once) at its end."""
    banner = page.banner()
    if banner:
        html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + banner, html, count=1)
    if page.live:
        html = html.replace("</body>", module_script() + "</body>", 1)
    return html
