"""Macros for the accessibility statement, from docs/accessibility/results.yml (measured by the tests).

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
