"""Owned sections of guidance: each names its audiences, owner and review dates, shown on every page of it."""

from __future__ import annotations

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge, repeats
from plugins.models import Guidance


def section_index(guidance: Guidance) -> list[str]:
    """A guidance section is published at /<section>/; its index page stands for the whole section."""
    return [f"{guidance.section}/index.md"]


@hookimpl
def register_collections(register):
    register(Collection("guidance", Guidance, "guidance section", description="Owned sections of guidance.",
                        pages_of=section_index))


@hookimpl
def check_knowledge(kb: Knowledge):
    for guidance, first in repeats(kb.all("guidance"), lambda g: g.section):
        yield kb.problem(guidance, f"section: '{guidance.section}' is already owned by '{first.id}'", ("section",))
