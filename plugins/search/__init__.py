"""Site search that finds the guidance first, runs in the browser and works from a file share.

The build writes the index (`plugins.search.index`, from every rendered page, through
hooks/search.py) and these scripts, into assets/search/:

- `worker.js`: MiniSearch (vendored from npm, MIT) and the site's worker, which answers
  the theme's search box (static/worker.js says how it ranks);
- `page.js`: the line above the results saying what was searched, and help when nothing matches;
- `iframe-worker.js`: runs the worker in a hidden frame where a browser refuses workers
  (pages opened from disk, file://), as Material's offline plugin does.

The vendored files are exact copies of the npm packages pinned in package-lock.json
(tests/test_search.py checks), so an upgrade goes through `npm install`, then a copy.

The hook implementations are in `hooks.py`; other features may import `models` only.
"""
