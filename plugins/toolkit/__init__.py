"""The CSE risk-assessment toolkit: overview, a page per group of signs, levels, referral pathway, checklist,
and the warning signs in plain English for foster carers.

The toolkit supports a referral; it never replaces one. Its rules (the under-13
rule, consent never lowers a level, current abuse is referred now) are shown
before the signs, and every level, pathway step and group says which document
it comes from. The checklist counts vulnerability factors and warning signs
apart in the browser, says "refer now" when a significant sign is ticked, and
stores and sends nothing.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
