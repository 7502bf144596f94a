"""The guidance feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Collection, Knowledge, repeats
from plugins.guidance.models import Guidance


def section_index(guidance: Guidance) -> str:
    """A guidance section is published at /<section>/; its index page stands for the whole section."""
    return f"{guidance.section}/index.md"


@hookimpl
def register_collections(register):
    register(Collection("guidance", Guidance, "guidance section", description="Owned sections of guidance.",
                        page=section_index, page_field="section",
                        also_on=lambda guidance: [guidance.carer_page_path] if guidance.carer_page else []))


@hookimpl
def check_knowledge(kb: Knowledge):
    for guidance, first in repeats(kb.all(Guidance), lambda g: g.section):
        yield kb.problem(guidance, f"section: '{guidance.section}' is already owned by '{first.id}'", ("section",))
