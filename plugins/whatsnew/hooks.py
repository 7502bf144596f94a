"""The whatsnew feature's hook implementations. What the feature does: the package docstring (__init__.py)."""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from plugins.core.hookspecs import hookimpl
from plugins.core.knowledge import Knowledge
from plugins.core.pages import GeneratedPage, Macro, PageContext, PageHtml, SiteFile
from plugins.core.render import Helpers, escape_text, long_date, plural, render
from plugins.organisation.models import Audience
from plugins.whatsnew import feeds
from plugins.whatsnew.amendments import built_in
from plugins.whatsnew.changes import Entry, WhatsNew, whats_new

STATUS = "updated"
"""The page status Material shows in the navigation (labelled in mkdocs.yml, extra.status)."""
HUB_ENTRIES = 5


class EntryParts:
    """A change's parts as What's new, the bulletins and the hubs show them, read by their templates as
    `whatsnew.pages` and `whatsnew.what` (whatsnew/_entries.html), and the Updated line a changed page carries."""

    @staticmethod
    @pass_context
    def pages(context, entry: Entry, audience: str | None = None, limit: int = 8) -> Markup:
        """The pages the change touched, linked (relative to the page shown) where they have a page: at most
        `limit`, then how many more; its title where it touched none."""
        main = None if entry.from_history else entry.main_link(audience)
        links = entry.links if entry.from_history else [main] if main else []
        page = context["page"]
        shown = []
        for link in links[:limit]:
            if link.page:
                path, _, anchor = link.page.partition("#")
                shown.append(f'<a href="{escape_text(page.url(path, anchor or None))}">{escape_text(link.title)}</a>')
            else:
                shown.append(str(escape_text(link.title)))
        more = f"; and {escape_text(plural(len(links) - limit, 'more page', 'more pages'))}" if len(links) > limit \
            else ""
        return Markup(("" if links else str(escape_text(entry.title))) + "; ".join(shown) + more)

    @staticmethod
    def updated(page: PageContext, entry: Entry) -> str:
        """The line below the heading of a page changed lately. Said in a word, not marked †: the line sits above
        the provenance legend, which explains the mark."""
        illustrative = " (illustrative)" if entry.basis.illustrative else ""
        changed = escape_text(page.url("whats-new/index.md", f"change-{entry.key}"))
        return (f'<p class="kb-updated" data-search-exclude><span class="kb-updated__label">Updated</span> '
                f'{Helpers.date(entry.day)}: {escape_text(entry.summary)}{illustrative} '
                f'<a href="{changed}">What changed</a></p>\n')

    @staticmethod
    def what(entry: Entry) -> Markup:
        """What changed, marked where it rests on illustrative data."""
        return escape_text(entry.summary) + Helpers.mark(entry.basis)


@hookimpl
def prepare_jinja_environment(env):
    env.globals["whatsnew"] = EntryParts


@hookimpl
def register_amendments(kb: Knowledge, register):
    for amendment in built_in(kb):
        register(amendment)


@hookimpl
def register_pages(kb: Knowledge, register):
    news = whats_new(kb)
    for month, label, entries in news.months():
        register(GeneratedPage(
            path=f"{feeds.FOLDER}/{month}.md", title=f"What changed in {label}", template="whatsnew/bulletin.html",
            context={"label": label, "sections": bulletin_sections(news, entries), "count": len(entries)},
            data_files=news.data_files or kb.files_of(Audience),
            description=f"The monthly bulletin: every change to the knowledge base in {label}, by audience.",
            from_context=True))   # its changes are in its context: a month's bulletin no edit touched is kept


def bulletin_sections(news: WhatsNew, entries: list[Entry]) -> list[tuple[Audience | None, list[Entry]]]:
    """Each audience's changes, then those no audience is named for; empty sections are left out."""
    sections: list[tuple[Audience | None, list[Entry]]] = [
        (audience, [e for e in entries if audience.id in e.audiences]) for audience in news.audiences]
    sections.append((None, [e for e in entries if not e.audiences]))
    return [(audience, items) for audience, items in sections if items]


@hookimpl
def register_macros(kb: Knowledge, register):
    def whats_new_page(page: PageContext) -> Markup:
        """Every change, newest first, by month; the feeds to subscribe to and the bulletins to print."""
        news = whats_new(kb)
        return render("whatsnew/whats-new.html", page, kb, news=news, feeds=feed_links(news), months=news.months(),
                      as_at=news.recent_until)

    def whats_new_for(page: PageContext, audience_id: str) -> Markup:
        """For an audience's hub: its latest changes and its feed."""
        news = whats_new(kb)
        audiences = {a.id: a for a in news.audiences}
        if audience_id not in audiences:
            raise ValueError(f"whats_new_for('{audience_id}'): no such audience in {', '.join(kb.files_of(Audience))}")
        audience = audiences[audience_id]
        return render("whatsnew/hub.html", page, kb, audience=audience,
                      entries=news.for_audience(audience_id)[:HUB_ENTRIES], feed=feeds.feed_path(audience))

    def files() -> tuple[str, ...]:
        return whats_new(kb).data_files or kb.files_of(Audience)

    register(Macro("whats_new", whats_new_page, files))
    register(Macro("whats_new_for", whats_new_for, files))


def feed_links(news: WhatsNew) -> list[tuple[str, str]]:
    """(who it is for, feed path): the whole site first, then each audience."""
    return [("Every change", feeds.feed_path(None))] + [(a.name, feeds.feed_path(a)) for a in news.audiences]


@hookimpl
def extra_site_files(kb: Knowledge, register):
    news = whats_new(kb)
    for audience in [None, *news.audiences]:
        register(SiteFile(feeds.feed_path(audience), feeds.atom(kb, news, audience)))


@hookimpl
def page_inputs(path: str, kb: Knowledge) -> list:
    """The feeds a page announces (its audience if it is a hub, every audience on What's new; the site's name is
    the configuration's, which feeds the build writes is the build's) and the page's latest change, if recent."""
    news = whats_new(kb)
    return [news.hubs.get(path), news.audiences if path == feeds.PAGE else None, news.updated.get(path)]


@hookimpl
def prepare_page_html(page: PageHtml, kb: Knowledge) -> None:
    """Announce the feeds in the page's head; on a page changed lately, say "Updated" at the top and in the nav."""
    news = whats_new(kb)
    context = page.context
    if context is None:
        return
    site = feeds.site_name(kb)
    announced = [(feeds.feed_title(site, None), feeds.feed_path(None))]
    hub = news.hubs.get(page.path)
    if hub is not None:
        announced.append((feeds.feed_title(site, hub), feeds.feed_path(hub)))
    if page.path == feeds.PAGE:
        announced += [(feeds.feed_title(site, a), feeds.feed_path(a)) for a in news.audiences]
    page.meta["kb_feeds"] = [{"title": title, "href": context.file_url(path)} for title, path in announced
                             if context.has_file(path)]
    entry = news.updated.get(page.path)
    if entry is None:
        return
    page.meta["status"] = STATUS
    page.meta["subtitle"] = f"Updated {long_date(entry.day)}"
    notice = EntryParts.updated(context, entry)
    head, h1, rest = page.html.partition("</h1>")  # below the page's own heading, where it has one
    page.html = head + h1 + notice + rest if h1 else notice + page.html
