"""A registration done with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing.

No mouse and no element.click(): the only other calls read the page (where focus is, how it
looks). Every element that takes focus on the way must show a visible focus indicator.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FOCUS_YELLOW = "rgb(255, 191, 71)"

# What the focused element looks like: a link shows the yellow focus background, every other
# control a solid outline of at least 2px in a visible colour.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && !/rgba\\(.*, 0\\)$|transparent/.test(style.outlineColor),
    background: style.backgroundColor,
    inViewport: box.bottom > 0 && box.top < window.innerHeight && box.width > 0,
    row: el.closest("tr") ? el.closest("tr").innerText : "",
    href: el.getAttribute("href") || "",
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(state: dict) -> None:
    if state["tag"] == "a":
        assert state["background"] == FOCUS_YELLOW, f"link without focus style: {state}"
    else:
        assert state["outline"], f"control without focus outline: {state}"
    assert state["inViewport"], f"focused element is off screen: {state}"


def tab_to(page, matches, limit: int = 60, key: str = "Tab") -> dict:
    """Press Tab until ``matches(state)``; every stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] != "body":
            assert_focus_visible(state)
        if matches(state):
            return state
    raise AssertionError(f"{key} never reached the element; last focus: {state}")


def press_and_wait(page, key: str) -> None:
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_landmarks_and_skip_link(site, tab):
    tab.goto(site.base + "/")
    assert tab.get_by_role("banner").count() == 1
    assert tab.get_by_role("main").count() == 1
    assert tab.get_by_role("contentinfo").count() == 1
    assert tab.get_by_role("navigation", name="Hauptnavigation").count() == 1
    assert tab.get_by_role("search", name="Veranstaltungen filtern").count() == 1

    tab.keyboard.press("Tab")
    state = focused(tab)
    assert state["text"] == "Zum Inhalt springen"
    assert_focus_visible(state)  # the skip link appears on screen when focused
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the main content, past the header's links.
    state = tab_to(tab, lambda s: True)
    assert tab.evaluate("document.activeElement.closest('main') !== null"), state


def test_registration_with_the_keyboard_alone(site, tab):
    email = "tastatur@lueneburg.example"
    tab.goto(site.base + "/")
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")  # skip link
    tab_to(tab, lambda s: s["text"] == "Themenwerkstatt Offene Daten")
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**/events/{site.open_slug}")

    tab_to(tab, lambda s: s["text"] == "Jetzt anmelden")
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**/events/{site.open_slug}/register")

    # Submit the empty form: the error summary takes focus and links to each field.
    tab_to(tab, lambda s: s["text"] == "Anmeldung absenden")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#error-summary")
    state = focused(tab)
    assert state["id"] == "error-summary"
    assert_focus_visible(state)
    assert tab.get_by_role("alert").filter(has_text="Bitte prüfen Sie Ihre Angaben").count() == 1
    links = tab.locator("#error-summary a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#municipality", "#state", "#first_name", "#last_name", "#email", "#consent"} <= set(
        targets
    )
    for target in targets:  # every link points at a field that says what is wrong
        field = tab.locator(target)
        described = field.get_attribute("aria-describedby") or ""
        assert f"{target[1:]}-error" in described.split()
        assert field.get_attribute("aria-invalid") == "true"

    # Follow the summary's link to the e-mail field: focus lands in the field.
    tab_to(tab, lambda s: s["href"] == "#email")
    tab.keyboard.press("Enter")
    assert focused(tab)["id"] == "email"
    # Shift+Tab goes back through the summary; the first link leads to the municipality.
    tab_to(tab, lambda s: s["href"] == "#municipality", key="Shift+Tab")
    tab.keyboard.press("Enter")
    assert focused(tab)["id"] == "municipality"

    # Fill the form in tab order; the honeypot is skipped.
    order = []
    tab.keyboard.type("Lüneburg")
    order.append(focused(tab)["id"])
    for text in ("Nieder", "03355022", "Kim", "Tastatur", email, "Digitalisierung"):
        tab.keyboard.press("Tab")
        order.append(focused(tab)["id"])
        tab.keyboard.type(text)
    tab.keyboard.press("Tab")
    order.append(focused(tab)["id"])
    tab.keyboard.press("Space")
    assert order == [
        "municipality",
        "state",
        "ags",
        "first_name",
        "last_name",
        "email",
        "role",
        "consent",
    ]
    assert tab.locator("#state").input_value() == "03"  # typing chose Niedersachsen
    assert tab.locator("#consent").is_checked()
    state = tab_to(tab, lambda s: s["text"] == "Anmeldung absenden")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("h1:has-text('Fast geschafft')")

    # Confirm through the dev mailbox, still with the keyboard.
    tab.goto(site.base + "/dev/mailbox/")
    tab_to(tab, lambda s: email in s["row"] and "Bitte bestätigen" in s["text"])
    press_and_wait(tab, "Enter")
    tab_to(tab, lambda s: s["tag"] == "a" and "/r/" in s["text"])
    press_and_wait(tab, "Enter")
    tab_to(tab, lambda s: s["text"] == "Anmeldung bestätigen")
    press_and_wait(tab, "Enter")
    assert "Ihre Anmeldung ist bestätigt" in tab.locator(".notice-success").inner_text()
    assert "Bestätigt" in tab.locator(".status").inner_text()
