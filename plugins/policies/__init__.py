"""Policies and procedures: the library, one page per current policy, and plain-English foster-carer versions.

Each version of a policy is a record; only the approved one is current. The
staff procedure and the foster-carer version are built from the same record
(steps, sections and routes say which audiences see them), so they cannot
disagree. Every step, section and route cites the documents it comes from and
shows them. Each piece of foster-carer text must read at Flesch reading ease 60
or more with no sentence over 25 words, measured per step and per section: a
page average can hide one long, hard step.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
