"""The CSE risk-assessment toolkit: overview, a page per group of signs, levels, referral pathway, checklist.

The checklist can count ticked signs by group in the browser to support a
discussion; it stores and sends nothing, and says it does not replace
professional judgement.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
