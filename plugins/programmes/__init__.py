"""Programmes of change: Signs of Safety, the transformation programme, the quality-assurance changes.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
