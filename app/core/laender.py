"""The 16 Länder, keyed by the first two digits of the Amtlicher Gemeindeschlüssel (AGS)."""

from flask_babel import lazy_gettext as _l

LAENDER: dict[str, str] = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

# English exonyms where they differ; the German names are the official ones.
LAENDER_EN: dict[str, str] = {
    "09": "Bavaria",
    "03": "Lower Saxony",
    "05": "North Rhine-Westphalia",
    "06": "Hesse",
    "07": "Rhineland-Palatinate",
    "13": "Mecklenburg-Western Pomerania",
    "14": "Saxony",
    "15": "Saxony-Anhalt",
    "16": "Thuringia",
}


def land_name(code: str, language: str = "de") -> str:
    if language == "en" and code in LAENDER_EN:
        return LAENDER_EN[code]
    return LAENDER.get(code, code)


PLEASE_CHOOSE = _l("Bitte wählen")
