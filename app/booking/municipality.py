"""Who counts as the same municipality, for the per-municipality seat limit."""

from __future__ import annotations

import re
import unicodedata

_PREFIXES = re.compile(
    r"^(stadt|gemeinde|landkreis|kreis|markt|hansestadt|samtgemeinde|verbandsgemeinde)\s+"
)


def normalise_name(name: str) -> str:
    """Lower case, umlauts folded, common prefixes like "Stadt" dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = re.sub(r"[^\w]+", " ", text).strip()
    text = _PREFIXES.sub("", text)
    return re.sub(r"\s+", " ", text)


def municipality_key(name: str, state: str, ags: str = "") -> str:
    if ags:
        return f"ags:{ags}"
    return f"name:{state}:{normalise_name(name)}"


def normalise_email(email: str) -> str:
    return email.strip().lower()
