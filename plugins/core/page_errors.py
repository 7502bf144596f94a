"""Mistakes in the macros of hand-written pages, reported as `docs/page.md:line: what is wrong`.

The sandbox that renders pages (plugins/core/handwritten.py) checks their macro
calls; here is what the build needs to report a macro that fails while a page is
rendered at the line that called it, so the build can stop with every problem at once.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable



def template_line() -> int | None:
    """The line of the page template being rendered that led to this call (1-based), if any."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def front_matter_lines(source: str, markdown: str) -> int:
    """How many lines of the file come before the Markdown MkDocs hands to macros (its front matter)."""
    return source[: len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0


def macro_failure(name: str, function: Callable, args: tuple, kwargs: dict, error: Exception) -> str:
    """Why a macro call failed: wrong arguments in the page's words, else the macro's own message."""
    signature = inspect.signature(function)
    try:
        signature.bind(None, *args, **kwargs)  # the macro's first parameter is the page it is called from
    except TypeError:
        params = ", ".join(list(signature.parameters)[1:])
        return f"{name}() does not take these arguments: write {name}({params})"
    return f"{name}(): {error}"
