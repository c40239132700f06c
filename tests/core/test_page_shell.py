"""The frame of every public page as a visitor gets it: language, skip link, one heading, the
language switch, our own stylesheet and script, the footer; and how the language is chosen.

What the frame looks like in a real browser (320 px wide, print, axe) is tests/browser's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.certificates.rules import issue_certificate, verification_code
from app.models import Attendance, RegistrationStatus, utcnow

STATIC = Path(__file__).resolve().parents[2] / "static"

# Every public HTML page, by its URL rule. A new page belongs here: see the first test.
PAGES = [
    "/",
    "/archiv",
    "/events/<slug>",
    "/events/<slug>/register",
    "/events/<slug>/register/sent",
    "/r/<token>",
    "/interessensbekundung",
    "/interessensbekundung/gesendet",
    "/interessensbekundung/<token>",
    "/datenschutz",
    "/r/<token>/rueckmeldung",
    "/bescheinigung/<code>",
    "/admin/login",
]
NOT_HTML = ("/admin/", "/api/", "/dev/", "/feeds/", "/static/")
# Files served for download, not pages: an event's materials (app.materials) and a
# participant's certificate of attendance (app.certificates).
DOWNLOADS = frozenset(
    {
        "/unterlagen/<key>",
        "/r/<token>/unterlagen/<key>",
        "/r/<token>/teilnahmebescheinigung/<any(de, en):language>.pdf",
    }
)


@dataclass
class Link:
    href: str
    text: str
    landmark: str | None  # "header", "main" or "footer"; None before the header
    nav: str | None  # the aria-label of the <nav> around it
    lang: str | None
    hreflang: str | None


class Shell(HTMLParser):
    """What a page's frame shows: its language, assets, headings and links, and where they sit."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.language: str | None = None
        self.stylesheets: list[tuple[str, str | None]] = []  # (href, media)
        self.icons: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []
        self.h1 = 0
        self.main_id: str | None = None
        self.links: list[Link] = []
        self._landmarks: list[str] = []
        self._navs: list[str | None] = []
        self._link: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").split()
        if tag == "html":
            self.language = attrs.get("lang")
        elif tag == "link" and "stylesheet" in rel:
            self.stylesheets.append((attrs["href"], attrs.get("media")))
        elif tag == "link" and "icon" in rel:
            self.icons.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "h1":
            self.h1 += 1
        elif tag in ("header", "main", "footer"):
            self._landmarks.append(tag)
            if tag == "main":
                self.main_id = attrs.get("id")
        elif tag == "nav":
            self._navs.append(attrs.get("aria-label"))
        elif tag == "a" and "href" in attrs:
            self._link = {"attrs": attrs, "text": []}

    def handle_endtag(self, tag):
        if tag in ("header", "main", "footer") and self._landmarks:
            self._landmarks.pop()
        elif tag == "nav" and self._navs:
            self._navs.pop()
        elif tag == "a" and self._link is not None:
            attrs = self._link["attrs"]
            self.links.append(
                Link(
                    href=attrs["href"],
                    text=" ".join("".join(self._link["text"]).split()),
                    landmark=self._landmarks[-1] if self._landmarks else None,
                    nav=self._navs[-1] if self._navs else None,
                    lang=attrs.get("lang"),
                    hreflang=attrs.get("hreflang"),
                )
            )
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"].append(data)

    def links_in(self, landmark: str, nav: str | None = None) -> list[Link]:
        return [
            link
            for link in self.links
            if link.landmark == landmark and (nav is None or link.nav == nav)
        ]


MISSING = "/gibt-es-nicht"


@pytest.fixture
def public_pages(session, make_event, make_registration, make_interest) -> list[str]:
    """A URL a visitor can open for each rule of PAGES, and one for a page that does not exist."""
    event = make_event()
    ended = utcnow().replace(microsecond=0) - timedelta(days=1)
    past = make_event(starts_at=ended - timedelta(hours=3), ends_at=ended)
    present = make_registration(
        past, status=RegistrationStatus.CONFIRMED, attendance=Attendance.ATTENDED
    )
    certificate = issue_certificate(session, present.id, utcnow())
    session.commit()
    urls = {rule: rule for rule in PAGES}
    urls["/events/<slug>"] = f"/events/{event.slug}"
    urls["/events/<slug>/register"] = f"/events/{event.slug}/register"
    urls["/events/<slug>/register/sent"] = f"/events/{event.slug}/register/sent"
    urls["/r/<token>"] = f"/r/{make_registration(event).token}"
    urls["/interessensbekundung/<token>"] = f"/interessensbekundung/{make_interest().token}"
    urls["/r/<token>/rueckmeldung"] = f"/r/{present.token}/rueckmeldung"
    urls["/bescheinigung/<code>"] = f"/bescheinigung/{verification_code(certificate)}"
    return [*urls.values(), MISSING]


def shells(client, urls: list[str], query: str = ""):
    """Open each page (``query`` appended) and read its frame."""
    for url in urls:
        response = client.get(url + query)
        assert response.status_code == (404 if url == MISSING else 200), url
        assert response.mimetype == "text/html", url
        yield url, Shell(response.text)


def page_language(response) -> str:
    return Shell(response.text).language


def test_every_public_page_is_in_the_list_these_checks_walk(app):
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.rule.startswith(NOT_HTML)
        and not rule.rule.endswith((".ics", ".json"))
        and rule.rule not in DOWNLOADS
    }
    rules.add("/admin/login")

    assert rules == set(PAGES)


def test_every_page_says_it_is_german_or_english_when_asked(client, public_pages):
    for url, shell in shells(client, public_pages):
        assert shell.language == "de", url
    for url, shell in shells(client, public_pages, "?lang=en"):
        assert shell.language == "en", url


def test_every_page_starts_with_a_skip_link_to_the_main_content(client, public_pages):
    for url, shell in shells(client, public_pages):
        first = shell.links[0]
        assert (first.href, first.text, first.landmark) == ("#main", "Zum Inhalt springen", None)
        assert shell.main_id == "main", url
    for url, shell in shells(client, public_pages, "?lang=en"):
        assert shell.links[0].text == "Skip to content", url


def test_every_page_has_exactly_one_main_heading(client, public_pages):
    for url, shell in shells(client, public_pages):
        assert shell.h1 == 1, url


def test_every_page_offers_the_other_language_in_the_header(client, public_pages):
    for url, shell in shells(client, public_pages):
        [switch] = shell.links_in("header", nav="Sprache")
        assert (switch.text, switch.lang, switch.hreflang) == ("English", "en", "en"), url
        assert "lang=en" in switch.href, url
    for url, shell in shells(client, public_pages, "?lang=en"):
        [switch] = shell.links_in("header", nav="Language")
        assert (switch.text, switch.lang, switch.hreflang) == ("Deutsch", "de", "de"), url
        assert "lang=de" in switch.href, url


def test_every_page_links_the_privacy_notice_in_the_footer(client, public_pages):
    for url, shell in shells(client, public_pages):
        footer = {link.text: link.href for link in shell.links_in("footer")}
        assert footer.get("Datenschutz") == "/datenschutz", url
    for url, shell in shells(client, public_pages, "?lang=en"):
        footer = {link.text: link.href for link in shell.links_in("footer")}
        assert footer.get("Privacy") == "/datenschutz", url


def test_every_page_loads_its_stylesheets_script_and_icon_from_our_own_origin(client, public_pages):
    for url, shell in shells(client, public_pages):
        assets = [href for href, _media in shell.stylesheets] + shell.scripts + shell.icons
        assert all(href.startswith("/static/") for href in assets + shell.images), (url, assets)
        assert ("/static/css/site.css", None) in shell.stylesheets, url
        assert ("/static/css/print.css", "print") in shell.stylesheets, url
        assert "/static/js/site.js" in shell.scripts, url
        assert shell.icons == ["/static/img/favicon.svg"], url
        for href in assets:
            assert client.get(href).status_code == 200, (url, href)


def test_german_is_the_default(client):
    response = client.get("/")

    assert page_language(response) == "de"
    assert "Veranstaltungen für Kommunen" in response.text
    assert 'hreflang="en"' in response.text


def test_accept_language_is_honoured(client):
    assert page_language(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "en"
    assert page_language(client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "de"
    assert page_language(client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"})) == "de"


def test_lang_parameter_wins_and_is_remembered_in_the_session(client):
    assert page_language(client.get("/?lang=en", headers={"Accept-Language": "de"})) == "en"
    # The next page, without the parameter, stays English.
    assert page_language(client.get("/archiv", headers={"Accept-Language": "de"})) == "en"
    assert page_language(client.get("/?lang=de", headers={"Accept-Language": "en"})) == "de"
    assert page_language(client.get("/archiv", headers={"Accept-Language": "en"})) == "de"
    # An unknown language is ignored.
    assert page_language(client.get("/?lang=xx")) == "de"


def test_language_switch_keeps_the_page_and_its_filters(client, make_event):
    event = make_event()

    html = client.get(f"/events/{event.slug}").text
    assert f'href="/events/{event.slug}?lang=en"' in html

    html = client.get("/?format=kickoff&q=daten").text
    link = re.search(r'<a href="([^"]+)" lang="en"', html).group(1).replace("&amp;", "&")
    assert link.startswith("/?") and "format=kickoff" in link and "q=daten" in link
    assert "lang=en" in link


def test_english_dates_name_the_time_zone(client, make_event):
    event = make_event(
        starts_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 15, 0, tzinfo=UTC),
    )

    html = client.get(f"/events/{event.slug}?lang=en").text

    assert "Thu, 12 March 2026, 10:00–16:00 (Berlin time)" in html


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("/static/css/site.css", "text/css"),
        ("/static/css/print.css", "text/css"),
        ("/static/js/site.js", "text/javascript"),
        ("/static/img/favicon.svg", "image/svg+xml"),
    ],
)
def test_design_assets_are_served_from_our_own_host(client, path, mimetype):
    response = client.get(path)

    assert response.status_code == 200
    assert response.mimetype == mimetype
    body = response.get_data(as_text=True)
    assert len(body) > 200
    assert not re.search(
        r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", body.replace("http://www.w3.org/2000/svg", "")
    )


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_meet_wcag_aa_contrast():
    css = (STATIC / "css" / "site.css").read_text()
    colours = dict(re.findall(r"--(c-[\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    pairs = [
        ("c-text", "c-bg"),
        ("c-muted", "c-bg"),
        ("c-muted", "c-bg-soft"),
        ("c-link", "c-bg"),
        ("c-link-visited", "c-bg"),
        ("c-brand", "c-bg"),
        ("c-error", "c-bg"),
        ("c-error", "c-error-bg"),
        ("c-success", "c-success-bg"),
        ("c-warning", "c-warning-bg"),
    ]
    for foreground, background in pairs:
        ratio = contrast(colours[foreground], colours[background])
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"
    # White header text on the brand colour.
    assert contrast("#ffffff", colours["c-brand"]) >= 4.5
    # Form borders are user-interface components: 3:1.
    assert contrast(colours["c-border-strong"], colours["c-bg"]) >= 3
