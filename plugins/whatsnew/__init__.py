"""What's new: dated amendments from the data and the history of the content, newest first; "Updated" on pages
changed lately (at the top and in the navigation); Atom feeds for the whole site and per audience; a monthly
bulletin to print. Its hooks are in `hooks.py`."""
