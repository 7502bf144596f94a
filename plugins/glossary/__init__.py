"""The glossary: every abbreviation, on its own page and explained as a tooltip wherever it appears.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
