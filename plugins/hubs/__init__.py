"""Audience hubs: a start page per audience, built from the audience tags in the data.

A record that declares the `Audienced` trait and is shown on a page of its own
appears on the hubs of its audiences without anyone editing the hub.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
