"""Refuse what the site must not publish: personal data, and content above the build's classification.

The knowledge base names roles, not people, and its only numbers are public
service numbers kept in data/contacts.yml. Every data file and every
hand-written page is searched (plugins/safety/detectors.py) for NHS and National
Insurance numbers, dates of birth, home addresses, e-mail addresses (also
disguised: "name at kent dot gov dot uk"), telephone numbers in any digits,
separators or numeric fields, and people's names in case-like sentences ("Child
A, Jane Smith, aged 14"). Each hit stops the build at its file and line. A false
alarm is cleared only by a reviewed entry in data/personal-data-allowed.yml for
that exact text in that file; the guard itself cannot be switched off.

A record classified above the build's classification (KB_CLASSIFICATION,
unrestricted unless set) also stops the build; every record has a
classification, its own or its collection's.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
