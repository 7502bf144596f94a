"""The accessibility feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.loader import load_yaml
from plugins.core.pages import Macro, PageContext
from plugins.core.render import render

RESULTS = Path("docs") / "accessibility" / "results.yml"


def results(kb: Knowledge) -> dict[str, Any]:
    """The measured results, read with the safe loader; a missing or broken file is a build error."""
    data, problems = load_yaml(kb.root / RESULTS)
    if problems or not isinstance(data, dict):
        raise ValueError(f"{RESULTS} cannot be read: run `make accessibility` to measure again")
    keyboard = data.get("keyboard") or []
    return {**data, "passed": [check for check in keyboard if check.get("passed")],
            "clean": data["axe"]["violations"] == 0 and data["nu"]["errors"] == 0
            and data["reflow"]["pages_scrolling_sideways"] == 0 and all(check.get("passed") for check in keyboard)}


@hookimpl
def register_macros(kb: Knowledge, register):
    def measured(part: str):
        def macro(page: PageContext) -> Markup:
            return render(f"accessibility/{part}.html", page, kb, r=results(kb))
        macro.__doc__ = f"The accessibility statement's {part.replace('_', ' ')}, from what the tests measured."
        return macro

    for part in ("pages_checked", "compliance", "non_compliance", "preparation"):
        register(Macro(f"accessibility_{part}", measured(part), (RESULTS.as_posix(),)))
