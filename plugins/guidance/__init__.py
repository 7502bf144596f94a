"""Owned sections of guidance: each names its audiences, owner and review dates, shown on every page of it.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
