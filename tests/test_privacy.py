"""Private: the built site refers to no other host for anything a browser loads by itself."""

import re
from html.parser import HTMLParser

# Attributes a browser fetches without a click.
LOADED = {("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
          ("source", "src"), ("source", "srcset"), ("video", "src"), ("audio", "src"), ("embed", "src"),
          ("object", "data"), ("image", "href"), ("use", "href"), ("form", "action")}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in LOADED and value and EXTERNAL.match(value):
                if not (tag == "link" and dict(attrs).get("rel") in {"canonical", "alternate"}):
                    self.external.append(f"<{tag} {name}={value}>")
            if name == "style" and value and "url(" in value and EXTERNAL.search(value.split("url(", 1)[1]):
                self.external.append(f"<{tag} style={value}>")


def test_no_page_loads_anything_from_another_host(site):
    found = {}
    for path in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        if parser.external:
            found[str(path.relative_to(site))] = parser.external
    assert found == {}


def test_no_stylesheet_imports_or_fetches_from_another_host(site):
    pattern = re.compile(r"(@import\s+(url\()?\s*['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//)", re.I)
    offenders = [str(p.relative_to(site)) for p in site.rglob("*.css") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_web_fonts_or_generator_link(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home
    assert "squidfunk.github.io" not in home
