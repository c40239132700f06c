"""Layout of the pages a participant sees after an event: their personal page, the feedback form."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [390, 1280])
def test_feedback_choices_sit_beside_their_labels(width, site, tab):
    """Each rating is one row, input and label side by side, with an input big enough to hit."""
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{site.base}/r/{site.tokens['attended']}/rueckmeldung")
    assert tab.evaluate(NO_HORIZONTAL_SCROLL)
    for name in ("1 – gar nicht nützlich", "5 – sehr nützlich"):
        radio = tab.get_by_role("radio", name=name).bounding_box()
        label = tab.locator("label", has_text=name).bounding_box()
        assert radio["width"] >= 24 and radio["height"] >= 24, name  # 24px: WCAG 2.2 SC 2.5.8
        assert label["x"] > radio["x"] + radio["width"], f"{name}: label not beside the input"
        assert label["y"] < radio["y"] + radio["height"], f"{name}: label below the input"


@pytest.mark.parametrize("width", [390, 1280])
def test_sections_of_the_personal_page_are_set_apart(width, site, tab):
    """A section's heading does not stick to the button or hint that ends the one before."""
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{site.base}/r/{site.tokens['attended']}")
    assert tab.evaluate(NO_HORIZONTAL_SCROLL)
    gaps = tab.evaluate(
        """() => [...document.querySelectorAll("main section + section")].map(section => {
             const before = section.previousElementSibling.getBoundingClientRect();
             return [section.id, section.getBoundingClientRect().top - before.bottom];
           })"""
    )
    assert len(gaps) >= 3
    assert [id for id, gap in gaps if gap < 24] == []


def test_preparation_keeps_its_line_breaks(site, tab):
    """What organisers wrote line by line stays line by line (no inline style: CSP style-src)."""
    tab.goto(f"{site.base}/r/{site.tokens['confirmed']}")
    preparation = tab.locator(".preparation")
    assert preparation.inner_text().splitlines() == [
        "Bitte bringen Sie mit:",
        "den Stadtplan Ihres Quartiers",
        "Ihre Fragen",
    ]
