"""Where the facts come from: the documents cited, listed on the About page.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
