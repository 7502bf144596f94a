"""The JSNA summary: the CSE chapter of the children's Joint Strategic Needs Assessment, readable in five minutes.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
