"""What's new: the list of changes, the monthly bulletins, the feeds, and "Updated" on pages changed lately.

/whats-new/ (docs/whats-new/index.md calls `whats_new()`) lists every change
newest first, by month; /whats-new/<yyyy-mm>/ is that month's bulletin, by
audience, to print; /whats-new/all.xml and /whats-new/<audience>.xml are Atom
feeds, announced in every page's head and offered on the audience hubs
(`whats_new_for(audience)`). A page changed in the last 30 days says "Updated"
with the date at its top and in the navigation (Material's page status, with
the date written beside it).

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
