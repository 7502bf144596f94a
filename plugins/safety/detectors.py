"""Finders for text that identifies a person: each returns the hits in a piece of text.

Every pattern runs in time linear in the text: quantifiers are bounded, words
are anchored at word starts, and wider rules (a date of birth, an address, a
name in a case sentence) look only in a short window around a cheap trigger
word. Text is first normalised so that disguises do not help: compatibility
forms (fullwidth ＠, circled ①), digits of any script (٠٧٧٠٠ ...), HTML
character references (&#64;), zero-width characters and non-breaking spaces.
"""

from __future__ import annotations

import bisect
import functools
import html
import importlib.resources
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    kind: str
    """What it looks like: 'an e-mail address', 'an NHS number' ..."""
    text: str
    """The text that matched (normalised)."""
    start: int
    """Where in the normalised text it starts."""
    digits: str = ""
    """For numbers: the digits, for comparing with public numbers."""


# --- normalising ---------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2060\u2066\u2067\u2068\u2069\ufeff"), None)
_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


def normalise(text: str) -> str:
    """The text as a reader sees it, in plain characters (one line in, one line out)."""
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if not text.isascii():
        text = _NON_ASCII_DIGIT.sub(_ascii_digit, text)
    return text.translate(_DASHES)


def _ascii_digit(match: re.Match) -> str:
    value = unicodedata.decimal(match.group(), None)
    return str(value) if value is not None else match.group()


# --- e-mail addresses, plain and disguised --------------------------------------------

_LOCAL = r"(?<![\w.+%-])[\w.+%-]{1,64}"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TLD = (r"(?:uk|com|org|net|gov|nhs|ac|co|edu|info|biz|io|me|eu|police|sch|scot|wales|mil|int|ie|fr|de|es|it|nl|"
        r"be|us|ca|au|nz|in|online|email|mail)")
_BRACKET_AT = r"\s{0,3}[\[({<]\s{0,2}at\s{0,2}[\])}>]\s{0,3}"
_BRACKET_DOT = r"\s{0,3}[\[({<]\s{0,2}dot\s{0,2}[\])}>]\s{0,3}"
_STRONG_AT = rf"(?:\s{{0,3}}(?:@|%40)\s{{0,3}}|{_BRACKET_AT}|[-_ ]{{1,2}}at[-_ ]{{1,2}}(?=[a-z0-9]+(?:{_BRACKET_DOT}|\s{{1,3}}dot\s{{1,3}}|[-_]dot[-_])))"
_ANY_DOT = rf"(?:{_BRACKET_DOT}|\s{{1,3}}dot\s{{1,3}}|[-_]dot[-_]|\s{{0,3}}\.\s{{0,3}})"

EMAIL = re.compile(rf"{_LOCAL}{_STRONG_AT}{_LABEL}(?:{_ANY_DOT}{_LABEL}){{0,6}}{_ANY_DOT}[a-z]{{2,24}}\b", re.I)
"""name@kent.gov.uk, name @ kent . gov . uk, name[at]kent[dot]gov[dot]uk, name (at) kent (dot) gov (dot) uk,
name at kent dot gov dot uk, name_at_kent_dot_gov_dot_uk, name%40kent.gov.uk ..."""

EMAIL_WORD_AT = re.compile(rf"(?<![\w.+%-])[\w+%-]{{0,30}}[._\d][\w.+%-]{{0,40}}\s{{1,3}}at\s{{1,3}}{_LABEL}"
                           rf"(?:\.{_LABEL}){{0,6}}\.{_TLD}\b(?![/\w])", re.I)
"""jane.smith at kent.gov.uk: with a plain ' at ' and plain dots only when the name part looks like an
address's (a dot, underscore or digit in it), so that 'guidance at gov.uk' is not taken for one."""


EMAIL_PLAIN_AT = re.compile(rf"(?<![\w.+%-])(?P<local>[a-z][a-z0-9]{{1,30}})\s{{1,3}}at\s{{1,3}}(?!www\.){_LABEL}"
                            rf"(?:\.{_LABEL}){{0,6}}\.{_TLD}\b(?![/\w])", re.I)
"""jane at kent.gov.uk: an everyday word before 'at' ('guidance at gov.uk', 'available at kent.gov.uk') is not a name."""


def emails(text: str) -> Iterator[Hit]:
    reported = -1
    for pattern in (EMAIL, EMAIL_WORD_AT, EMAIL_PLAIN_AT):
        for match in pattern.finditer(text):
            if pattern is EMAIL_PLAIN_AT and (match.start() < reported or everyday(match.group("local"))):
                continue
            reported = max(reported, match.end())
            yield Hit("an e-mail address", match.group().strip(), match.start())


@functools.lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """Common English words (textstat's list of easy words) and the site's own vocabulary."""
    try:
        listing = (importlib.resources.files("textstat") / "resources" / "en" / "easy_words.txt").read_text()
    except (OSError, ModuleNotFoundError):
        listing = ""
    return frozenset(listing.lower().split()) | NOT_NAMES | _WEB_WORDS


_WEB_WORDS = frozenset("""available published online website site page guidance information details found more
found here there apply contact email emails search go visit read view download uk gov""".split())


def everyday(word: str) -> bool:
    return word.lower() in _everyday_words()


# --- numbers: telephone, NHS ----------------------------------------------------------

_SEPARATOR = r"[\s().\-/\\·•∙‧_~|*]"
NUMBER_RUN = re.compile(rf"(?<![\w+])(?:\+|\(\+?)?\d(?:{_SEPARATOR}{{0,3}}\d)*")
"""Digits with anything a number is written with between them (spaces, dots, dashes, brackets)."""
_GROUP = re.compile(r"\d+")
_YEAR_GROUP = re.compile(r"(?:19|20)\d\d")


_LETTER_FOR_DIGIT = re.compile(r"(?<![A-Za-z])[Oo](?=[Oo\d]{0,2}\d)|(?<=\d)[Oo]|(?<=\d)[lI](?=\d)")


def numbers(text: str, public: frozenset[str] = frozenset()) -> Iterator[Hit]:
    """Telephone and NHS numbers, also with the letter O or l typed for a digit.
    `public`: national numbers (0...) that are public service numbers."""
    text = _LETTER_FOR_DIGIT.sub(lambda m: "0" if m.group() in "Oo" else "1", text)
    for run in NUMBER_RUN.finditer(text):
        groups = [(g.start(), g.group()) for g in _GROUP.finditer(run.group())]
        digits = "".join(g for _, g in groups)
        if len(digits) < 9 or _is_isbn(text, run.start(), digits):
            continue
        plus = run.group().lstrip("(").startswith("+")
        yield from _numbers_in(run, groups, plus, public)


def _numbers_in(run: re.Match, groups: list[tuple[int, str]], plus: bool, public: frozenset[str]) -> Iterator[Hit]:
    """Try every window of consecutive digit groups holding 9 to 15 digits; report each number once.
    In a long list of numbers only windows starting with a 0 or a group of three or more digits are tried,
    which keeps the work linear however long the list."""
    index = 0
    long_list = len(groups) > 24
    while index < len(groups):
        if long_list and not (groups[index][1][0] == "0" or len(groups[index][1]) >= 3):
            index += 1
            continue
        found = None
        digits, year, short = "", False, False
        for end in range(index, len(groups)):
            group = groups[end][1]
            digits += group
            if len(digits) > 15:
                break
            year = year or (len(group) == 4 and bool(_YEAR_GROUP.fullmatch(group)))
            short = short or len(group) <= 2
            if len(digits) < 9:
                continue
            leading_plus = plus and index == 0
            kind, national = classify(digits, leading_plus, stray=end == index + 1)
            if kind and (leading_plus or not (year and short)):  # a year among short groups is a date
                found = (end, kind, national)
        if found:
            end, kind, national = found
            if national not in public:
                start = run.start() + (0 if index == 0 else groups[index][0])
                finish = run.start() + groups[end][0] + len(groups[end][1])
                yield Hit(kind, run.string[start:finish], start, national)
            index = end + 1
        else:
            index += 1


def _is_isbn(text: str, start: int, digits: str) -> bool:
    """A book number: after 'ISBN', or thirteen digits starting 978 or 979."""
    return text[max(0, start - 7):start].upper().rstrip(" :-").endswith("ISBN") or \
        (len(digits) == 13 and digits.startswith(("978", "979")))


def classify(digits: str, plus: bool = False, numeric: bool = False, stray: bool = False) -> tuple[str, str]:
    """What a string of digits is, if it identifies someone: (kind, national form) or ('', '')."""
    if len(digits) == 10 and nhs_check_digit_ok(digits):
        return "an NHS number (its check digit is valid)", digits
    national = uk_national(digits, plus, numeric, stray)
    if national:
        return "a telephone number", national
    if plus and 8 <= len(digits) <= 15:
        return "an international telephone number", digits
    return "", ""


_UK = re.compile(r"0(?:[12]\d{8,9}|[3789]\d{9})")


def uk_national(digits: str, plus: bool = False, numeric: bool = False, stray: bool = False) -> str:
    """The UK national form (0 and 9 or 10 digits) of a number written in any of the usual ways."""
    candidates = [digits]
    if digits.startswith("0044"):
        candidates.append("0" + digits[4:].removeprefix("0"))
    if digits.startswith("44") and (plus or numeric or len(digits) in (12, 13)):
        candidates.append("0" + digits[2:].removeprefix("0"))
    if numeric and not digits.startswith("0"):
        candidates.append("0" + digits)  # a number typed into a numeric field loses its leading 0
    if stray and len(digits) in (11, 12) and digits[1] == "0":
        candidates.append(digits[1:])  # a stray digit typed before it: "303000 416566"
    if len(digits) == 10 and digits.startswith("7"):
        candidates.append("0" + digits)  # a mobile number without its 0
    for number in candidates:
        if _UK.fullmatch(number) and len(set(number[1:])) > 1:
            return number
    return ""


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# --- National Insurance numbers -------------------------------------------------------

NI_NUMBER = re.compile(r"(?<![a-z0-9])([a-z]{2})[\s-]{0,2}(\d{2})[\s-]{0,2}(\d{2})[\s-]{0,2}(\d{2})"
                       r"(?:[\s-]{0,2}([a-d]))?(?![a-z0-9])", re.I)
_NI_PREFIX = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]")
_NI_NOT_ISSUED = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def ni_numbers(text: str) -> Iterator[Hit]:
    """Two letters, six digits and a letter A to D (HMRC's own example, QQ 12 34 56 C, included); without the
    last letter, only a prefix HMRC issues, in capitals."""
    for match in NI_NUMBER.finditer(text):
        prefix = match.group(1)
        if not match.group(5) and not (prefix.isupper() and _NI_PREFIX.fullmatch(prefix)
                                       and prefix not in _NI_NOT_ISSUED):
            continue
        yield Hit("a National Insurance number", match.group(), match.start())


# --- dates of birth -------------------------------------------------------------------

BIRTH = re.compile(r"\b(?:born|birth[\s_-]{0,3}date|date[\s_-]{0,3}of[\s_-]{0,3}birth|birthday|"
                   r"d\.?\s?o\.?\s?b\b\.?|d/o/b|b\.\s{0,2}(?=\d))", re.I)
_YEAR_AFTER = re.compile(r"\W{0,3}(?:on\s{1,3}|in\s{1,3})?(?:19|20)\d\d(?!\d)", re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORDINAL_WORDS = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                  r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
                  r"twenty[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|"
                  r"thirty[\s-]?first)")
_DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_YEAR = (r"(?:(?:19|20)\d{2}|'?\d{2}|(?:nineteen|two\s{1,3}thousand)(?:[\s-]{1,3}(?:and\s{1,3})?[a-z]+){0,3})")
DATE = re.compile(rf"\b(?:[0-3]?\d\s{{0,2}}[/.\-]\s{{0,2}}[01]?\d\s{{0,2}}[/.\-]\s{{0,2}}(?:\d{{4}}|\d{{2}})|"
                  rf"(?:19|20)\d{{2}}-[01]\d-[0-3]\d|"
                  rf"{_DAY}\s{{0,3}}(?:of\s{{1,3}})?{_MONTH},?\s{{0,3}}{_YEAR}|"
                  rf"{_MONTH}\s{{0,3}}{_DAY},?\s{{0,3}}{_YEAR}|"
                  rf"(?:in\s{{1,3}})?{_MONTH}\s{{0,3}}(?:19|20)\d{{2}})\b", re.I)


def dates_of_birth(text: str) -> Iterator[Hit]:
    """A date within a few words of 'born', 'DOB', 'date of birth' or 'birthday' (a year alone right after it)."""
    for start, end in _windows(BIRTH, text, before=40, after=50):
        dates = [(m.start(), m.group().strip()) for m in DATE.finditer(text, start, end)]
        starts = [position for position, _ in dates]
        for trigger in BIRTH.finditer(text, start, end):
            index = bisect.bisect_left(starts, trigger.start() - 40)
            near = dates[index] if index < len(dates) and dates[index][0] <= trigger.end() + 50 else None
            year = None if near else _YEAR_AFTER.match(text, trigger.end())
            if near or year:
                position, date = near or (year.start(), year.group().strip())
                yield Hit("a date of birth", f"{trigger.group()} ... {date}", position)


def _windows(trigger: re.Pattern, text: str, before: int, after: int) -> Iterator[tuple[int, int]]:
    """The stretches of `text` around matches of `trigger`, overlapping ones merged (so each character is
    searched a bounded number of times however many triggers there are)."""
    current: list[int] | None = None
    for match in trigger.finditer(text):
        start, end = max(0, match.start() - before), match.end() + after
        if current and start <= current[1]:
            current[1] = end
            continue
        if current:
            yield current[0], current[1]
        current = [start, end]
    if current:
        yield current[0], current[1]


# --- addresses ------------------------------------------------------------------------

POSTCODE = re.compile(r"\b(?:[a-pr-uwyz](?:\d[a-hjkpstuw\d]?|[a-hk-y]\d[abehmnprvwxy\d]?)\s{0,2}\d[abd-hjlnp-uw-z]{2}|"
                      r"gir\s{0,2}0aa)\b", re.I)
_STREET = (r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|gardens|gdns|place|pl|court|ct|"
           r"terrace|grove|hill|park|square|sq|walk|row|rise|mews|view|green|parade|approach|hollow|meadow|"
           r"meadows|fields|chase|wharf|quay|gate|end|vale|heights|bank|yard|cottages|villas|estate|lodge)")
HOUSE_AND_STREET = re.compile(rf"(?<![\w/.-])(?:(?i:flat|apartment)\s{{1,2}}\d{{1,4}}[a-zA-Z]?,?\s{{1,3}})?"
                              rf"\d{{1,4}}[a-zA-Z]?,?\s{{1,3}}(?:[A-Z][A-Za-z'-]{{1,20}}\s{{1,3}}){{1,3}}(?i:{_STREET})\b\.?")
HOUSE_AND_STREET_ANY_CASE = re.compile(HOUSE_AND_STREET.pattern.replace("[A-Z][A-Za-z'-]", "[A-Za-z][A-Za-z'-]"))
_LIVES = re.compile(r"\b(?:lives|living|lived|resides|residing|address|moved|staying|stays|home)\b", re.I)


def addresses(text: str) -> Iterator[Hit]:
    """A house number and street followed by a postcode, or a house number and street where someone lives."""
    reported = -1
    for start, end in _windows(POSTCODE, text, before=120, after=0):
        streets = [(m.start(), m.end()) for m in HOUSE_AND_STREET_ANY_CASE.finditer(text, start, end)]
        for postcode in POSTCODE.finditer(text, start, end):
            street = next((s for s in reversed(streets) if postcode.start() - 120 <= s[0] and s[1] <= postcode.start()),
                          None) if streets else None
            if street and street[0] > reported:
                reported = postcode.end()
                yield Hit("a home address (house number, street and postcode)",
                          text[street[0]:postcode.end()], street[0])
    for start, end in _windows(_LIVES, text, before=0, after=40):
        for street in HOUSE_AND_STREET.finditer(text, start, end):
            if street.start() > reported:
                reported = street.end()
                yield Hit("a home address (house number and street)", street.group(), street.start())


# --- names in case-like sentences -----------------------------------------------------

_NAME = r"[A-Z][a-z]{1,20}(?:[-'][A-Z][a-z]{1,20})?"
_AGE = (r"(?:aged?\s{0,2}:?\s{0,2}\d{1,2}|\d{1,2}\s{0,2}(?:years?|yrs?)(?:[\s-]{0,2}old)?|"
        r"\d{1,2}[\s-]{0,2}year[\s-]{0,2}old)")
_CASE_LABEL = (r"(?:child|young\s{1,3}person|yp|sibling|girl|boy|baby|infant|pupil|victim|mother|father|parent|"
               r"carer|foster\s{1,3}carer|step-?(?:mother|father)|grandmother|grandfather|brother|sister|"
               r"daughter|son|adult|perpetrator|suspect)")
NAME_WITH_AGE = re.compile(rf"\b(?P<name>{_NAME}(?:\s{{1,3}}{_NAME}){{0,2}})\s{{0,2}}"
                           rf"(?:,\s{{0,2}}(?:a\s{{1,2}})?{_AGE}|,\s{{0,2}}\d{{1,2}}\s{{0,2}},|,\s{{0,2}}who\s{{1,2}}is\s{{1,2}}(?:aged\s{{1,2}})?\d{{1,2}}|"
                           rf"\(\s{{0,2}}(?:{_AGE}|\d{{1,2}})\s{{0,2}}\)|\s-\s{{0,2}}{_AGE}|\s{{1,2}}(?:is\s{{1,2}})?aged\s{{1,2}}\d{{1,2}})(?!\d)")
AGE_THEN_NAME = re.compile(rf"\b\d{{1,2}}[\s-]{{0,2}}(?:year|yr)s?[\s-]{{0,2}}old\s{{1,3}}(?:(?i:girl|boy|child|"
                           rf"young\s{{1,2}}person),?\s{{1,3}})?(?P<name>{_NAME}(?:\s{{1,3}}{_NAME})?)\b")
LABELLED_NAME = re.compile(rf"\b(?i:{_CASE_LABEL})(?:\s{{1,2}}[A-Z](?![a-z])|\s{{0,2}}\d{{1,2}}(?!\d))\s{{0,2}}"
                           rf"(?:,|\(|:|-|\bis\b)\s{{0,2}}(?P<name>{_NAME}(?:\s{{1,3}}{_NAME})?)\b|"
                           rf"\b(?i:{_CASE_LABEL}|known|referred\s{{1,2}}to\s{{1,2}}as)\s{{1,3}}(?i:named|called|known\s{{1,2}}as|as)"
                           rf"\s{{1,3}}(?P<called>{_NAME}(?:\s{{1,3}}{_NAME})?)\b|"
                           # a full name set beside a case label: "the young person, Ellie Brown, disclosed"
                           rf"\b(?i:{_CASE_LABEL}),\s{{1,2}}(?P<apposed>{_NAME}\s{{1,3}}{_NAME})\s{{0,2}}[,(]")
TITLED_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s{{1,2}}(?:[A-Z]\.?\s{{1,2}})?(?P<name>{_NAME})\b(?!'s)")
CAPITAL_NAME_WITH_AGE = re.compile(r"\b(?P<name>[A-Z]{2,20}(?:[-'][A-Z]{2,20})?(?:\s{1,3}[A-Z]{2,20}(?:[-'][A-Z]{2,20})?){1,2})"
                                   r"\s{0,2}(?:,|\(|-)?\s{0,2}(?i:aged?)\s{0,2}\d{1,2}(?!\d)")
_TRIGGER = re.compile(rf"(?<!\d)\d{{1,2}}(?!\d)|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b|(?i:\b(?:named|called|known|{_CASE_LABEL})\b)")

NOT_NAMES = frozenset("""
a about above across after again against all also an and any are as at be because been before being below between
both but by can could did do does during each few for from further had has have having he her here hers him his how
i if in into is it its just me more most my no nor not now of off on once only or other our out over own same she
should so some such than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your
child children young people person persons girl girls boy boys baby babies parent parents carer carers foster
family families mother father sibling siblings son daughter brother sister pupil pupils victim victims case cases
kent county council kcc scs ehps cse kscb lscb jsna iro iros cp qa ofsted police nhs dfe acpo mash cru
social services service worker workers staff team teams manager managers director directors member members
committee cabinet report reports plan plans action actions review reviews policy policies guidance toolkit training
course courses session sessions level levels step steps area areas district districts north south east west
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday men women speaker chair
aged age ages year years old over under between around about only some many most all each every
those these such which whose what who whom someone anyone everyone nobody
early help specialist safeguarding quality assurance practice development officer officers principal practitioner
children's independent reviewing conference chair chairs education health public return interview interviews
missing sexual exploitation risk signs vulnerability factors warning significant
""".split())


def _looks_like_name(words: str) -> bool:
    parts = re.split(r"[\s'-]+", words.lower())
    return bool(parts) and not any(p in NOT_NAMES for p in parts)


def _named(match: re.Match) -> str:
    """The words a name pattern took for the name (each alternative names its group)."""
    groups = match.groupdict()
    return next(groups[key] for key in ("called", "apposed", "name") if groups.get(key))


def names(text: str) -> Iterator[Hit]:
    """A person's name in a case-like sentence: with an age ('Jane Smith, aged 14'), after a case label
    ('Child A, Jane Smith', 'a girl known as Jane'), or after a title ('Mrs Smith')."""
    patterns = ((LABELLED_NAME, "a person's name in a case description"),
                (NAME_WITH_AGE, "a person's name with their age"), (AGE_THEN_NAME, "a person's name with their age"),
                (CAPITAL_NAME_WITH_AGE, "a person's name with their age"), (TITLED_NAME, "a person's name"))
    for start, end in _windows(_TRIGGER, text, before=60, after=60):
        found = sorted((match.start(), match.end(), kind, match.group().strip())
                       for pattern, kind in patterns for match in pattern.finditer(text, start, end)
                       if _looks_like_name(_named(match)))
        reported = -1
        for first, last, kind, matched in found:
            if first >= reported:  # overlapping matches are one name
                reported = last
                yield Hit(kind, matched, first)


FINDERS: tuple[Callable[[str], Iterator[Hit]], ...] = (emails, ni_numbers, dates_of_birth, addresses, names)
"""Every finder that needs only the text; numbers() also needs the public numbers."""


def find(text: str, public: frozenset[str] = frozenset()) -> list[Hit]:
    """Every hit in a piece of (normalised) text, in order, overlapping hits of the same kind once."""
    hits = [hit for finder in FINDERS for hit in finder(text)] + list(numbers(text, public))
    return sorted(set(hits), key=lambda h: (h.start, h.kind))
