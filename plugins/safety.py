"""Refuse data that looks like personal data: e-mail addresses and telephone numbers in text.

The knowledge base names roles, not people, and its only numbers are public
service numbers kept in data/contacts.yml. A personal e-mail address or a
number that is not one of those stops the build, pointing at the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from plugins.hookspecs import hookimpl
from plugins.knowledge import Knowledge
from plugins.models import Contact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])(?:\+44\s?|0)\d(?:[\s-]?\d){8,9}(?![\w-])")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text).removeprefix("44")


def _strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*path, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


@hookimpl
def check_knowledge(kb: Knowledge):
    public = {_digits(c.number).lstrip("0") for c in kb.all("contacts")}
    for name in kb.collections:
        for record in kb.all(name):
            for path, text in _strings(record, ()):
                if isinstance(record, Contact) and path == ("number",):
                    continue
                if EMAIL.search(text):
                    yield kb.problem(record, f"{'.'.join(map(str, path))}: looks like an e-mail address; "
                                             "name a role, not a person", path)
                for match in PHONE.finditer(text):
                    if _digits(match.group()).lstrip("0") not in public:
                        yield kb.problem(record, f"{'.'.join(map(str, path))}: '{match.group()}' looks like a "
                                                 "telephone number that is not a public service number in "
                                                 "data/contacts.yml", path)
