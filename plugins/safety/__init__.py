"""Refuse data the site must not publish: personal data, and content above the build's classification.

The knowledge base names roles, not people, and its only numbers are public
service numbers kept in data/contacts.yml. A personal e-mail address or a
number that is not one of those stops the build, pointing at the line. So does
a record classified above the build's classification (KB_CLASSIFICATION,
unrestricted unless set); every record has a classification, its own or its
collection's.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
