"""Policies and procedures: the library, one page per current policy, and plain-English foster-carer versions.

Each version of a policy is a record; only the approved one is current. The
staff procedure and the foster-carer version are built from the same record
(steps and sections say which audiences see them), so they cannot disagree.
The foster-carer text must read at Flesch reading ease 60 or more.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
