"""Refuse data the site must not publish: personal data, and content above the build's classification.

The knowledge base names roles, not people, and its only numbers are public
service numbers kept in data/contacts.yml. A personal e-mail address or a
number that is not one of those stops the build, pointing at the line. So does
a record classified above the build's classification (KB_CLASSIFICATION,
unrestricted unless set); every record has a classification, its own or its
collection's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.records import CLASSIFICATIONS
from plugins.organisation.models import Contact

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A UK number however it is written: 01622 696000, (01622) 696000, +44 (0)7700 900123, 0044 7700 900123, 07700.900.123
PHONE = re.compile(r"(?<![\w+])(?:\+44|0044|\(?0)[\d\s().-]{8,17}\d(?![\w])")


def _digits(text: str) -> str:
    """The national number: digits only, without the country code or the (0) written after it."""
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    return digits.removeprefix("0044").removeprefix("44") if text.lstrip().startswith(("+", "00")) else digits


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
    yield from _above_classification(kb)
    yield from _personal_data(kb)


def _above_classification(kb: Knowledge):
    site = kb.settings.classification
    for records in kb.records.values():
        for record in records.values():
            level = kb.classification_of(record)
            if CLASSIFICATIONS.index(level) > CLASSIFICATIONS.index(site):
                yield kb.problem(record, f"classification: '{level}' is above this build's classification "
                                         f"('{site}'): it must not be published here", ("classification",))


def _personal_data(kb: Knowledge):
    public = {_digits(c.number).lstrip("0") for c in kb.all(Contact)}
    for records in kb.records.values():
        for record in records.values():
            for path, text in _strings(record, ()):
                if isinstance(record, Contact) and path == ("number",):
                    continue
                if EMAIL.search(text):
                    yield kb.problem(record, f"{'.'.join(map(str, path))}: looks like an e-mail address; "
                                             "name a role, not a person", path)
                for match in PHONE.finditer(text):
                    digits = _digits(match.group()).lstrip("0")
                    if 9 <= len(digits) <= 11 and digits not in public:
                        yield kb.problem(record, f"{'.'.join(map(str, path))}: '{match.group()}' looks like a "
                                                 "telephone number that is not a public service number in "
                                                 "data/contacts.yml", path)
