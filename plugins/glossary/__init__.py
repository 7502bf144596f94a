"""The glossary: abbreviations and terms, on their own page and explained wherever they appear.

On every page, the first use of each term or abbreviation in running text links
to its glossary entry (its accessible name carries the explanation, so a screen
reader announces it); later uses are a plain `<abbr title>`. So the explanation
is one tab stop away, not one tab stop per word. Nothing inside headings, links,
code, scripts, attributes or comments is touched: a real HTML parser copies the
page through and only running text is rewritten, in one pass.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
