"""A policy version beside the version before it: what changed, word by word.

Each version is turned into the same list of labelled parts (its summary, every
step, route, section and definition); parts are matched by label, and a part
whose words changed is shown with the words removed and added marked. All text
is escaped: the comparison adds only <del> and <ins> around escaped words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from markupsafe import Markup, escape

from plugins.policies.models import Policy


@dataclass(frozen=True)
class Change:
    part: str
    kind: str
    """'added', 'removed' or 'changed'."""
    words: Markup


def parts(policy: Policy) -> dict[str, str]:
    """The text of a version, as labelled parts, in the order a reader meets them."""
    found: dict[str, str] = {"Summary": policy.summary}
    for index, step in enumerate(policy.steps, start=1):
        found[f"Step {index} ({step.when})"] = step.do
    for route in policy.routes:
        found[f"Route: {route.heading}"] = route.intro
        for index, step in enumerate(route.steps, start=1):
            found[f"Route: {route.heading}, step {index} ({step.when})"] = step.do
    for section in policy.sections:
        found[f"Section: {section.heading}"] = section.body
    for definition in policy.definitions:
        found[f"Definition: {definition.term}"] = definition.meaning
    return {label: " ".join(text.split()) for label, text in found.items()}


def _words(before: str, after: str) -> Markup:
    old, new = before.split(), after.split()
    out: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(Markup("<del>{}</del>").format(" ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Markup("<ins>{}</ins>").format(" ".join(new[j1:j2])))
        if op == "equal":
            out.append(escape(" ".join(old[i1:i2])))
    return Markup(" ").join(out)


def changes(before: Policy, after: Policy) -> list[Change]:
    """Every part added, removed or changed between two versions, in the later version's order."""
    old, new = parts(before), parts(after)
    found = []
    for label, text in new.items():
        if label not in old:
            found.append(Change(label, "added", Markup("<ins>{}</ins>").format(text)))
        elif old[label] != text:
            found.append(Change(label, "changed", _words(old[label], text)))
    for label, text in old.items():
        if label not in new:
            found.append(Change(label, "removed", Markup("<del>{}</del>").format(text)))
    return found
