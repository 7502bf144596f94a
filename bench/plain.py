"""A plain MkDocs + Material site of a given number of pages of a given size: the benchmark's yardstick.

It has the project's theme features (navigation.prune among them), the search
plugin, strict validation and the same Markdown extensions, and no plugins or
hooks of the project. Its pages are kept out of the navigation like the
project's per-record pages, except one index page per section.
"""

from __future__ import annotations

from pathlib import Path

import yaml

WORDS = ("The service reviewed its practice with children and families across the districts and reported "
         "on progress to the committee, with actions, owners, dates and evidence of impact. ").split()


def _text(characters: int, seed: int) -> str:
    words, size, i = [], 0, seed
    while size < characters:
        word = WORDS[i % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        i += 1
    lines = [" ".join(words[j:j + 14]) for j in range(0, len(words), 14)]
    return "\n".join(lines)


def make_plain_site(folder: Path, pages: int, characters: int, project_config: Path) -> Path:
    """A folder holding mkdocs.yml and docs/ with `pages` pages of about `characters` characters each."""
    config = yaml.safe_load(project_config.read_text(encoding="utf-8").replace("!ENV", ""))
    docs = folder / "docs"
    (docs / "records").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# Home\n\n{_text(characters, 0)}\n\n[All records](records/index.md)\n",
                                   encoding="utf-8")
    (docs / "records" / "index.md").write_text("# Records\n\n" + _text(characters, 1) + "\n", encoding="utf-8")
    for n in range(max(pages - 2, 0)):
        (docs / "records" / f"r{n}.md").write_text(f"# Record {n}\n\n## Summary\n\n{_text(characters, n)}\n",
                                                    encoding="utf-8")
    plain = {
        "site_name": "Plain Material", "strict": True, "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": config["theme"]["features"]},
        "plugins": ["search"],
        "markdown_extensions": config["markdown_extensions"],
        "not_in_nav": "/records/r*.md",
        "nav": [{"Home": "index.md"}, {"Records": "records/index.md"}],
        "validation": config.get("validation", {}),
    }
    plain["markdown_extensions"] = [e for e in plain["markdown_extensions"]
                                    if not (isinstance(e, dict) and "pymdownx.snippets" in e)]
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False), encoding="utf-8")
    return folder
