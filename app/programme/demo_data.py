"""The demo programme as data: topics, a dozen events with their seats and waiting lists, and
the municipalities and people that fill them. `app.programme.demo` turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models import EventFormat, EventMode, EventStatus, WaitlistMode

TOPICS = (
    "Strategie",
    "Mobilität",
    "Energie & Klima",
    "Daten & Plattformen",
    "Verwaltungsdigitalisierung",
    "Open Source",
    "Beteiligung",
)
K, W, P = EventFormat.KICKOFF, EventFormat.WORKSHOP, EventFormat.PEER_LEARNING
IN_PERSON, ONLINE, HYBRID = EventMode.IN_PERSON, EventMode.ONLINE, EventMode.HYBRID
DST_START_2027 = date(2027, 3, 28)  # last Sunday of March 2027: 02:00 becomes 03:00


@dataclass(frozen=True)
class DemoEvent:
    title: str
    format: EventFormat
    when: int | date  # days from today (moved off the weekend), or a fixed date
    start: str
    hours: float
    mode: EventMode
    capacity: int
    topics: tuple[str, ...]
    summary: str
    venue: str = ""
    address: str = ""
    per_municipality: int | None = None
    confirmed: int = 0
    waitlisted: int = 0
    offered: int = 0
    waitlist_mode: WaitlistMode = WaitlistMode.AUTOMATIC
    status: EventStatus = EventStatus.PUBLISHED
    materials: bool = False  # slides for everyone, the minutes for participants
    extra: dict = field(default_factory=dict)


EVENTS = (
    DemoEvent(
        "Kick-off Start Smart: Auftakt für Kommunen in Niedersachsen und Bremen",
        K,
        16,
        "10:00",
        5,
        IN_PERSON,
        80,
        ("Strategie",),
        "Lernen Sie das Angebot kennen, tauschen Sie sich mit anderen Kommunen aus und planen "
        "Sie Ihre ersten Schritte zur Smart City.",
        venue="Neues Rathaus Hannover, Mosaiksaal",
        address="Trammplatz 2, 30159 Hannover",
        per_municipality=3,
        confirmed=23,
    ),
    DemoEvent(
        "Online-Kick-off Start Smart für Kommunen in Sachsen, Sachsen-Anhalt und Thüringen",
        K,
        30,
        "14:00",
        2.5,
        ONLINE,
        150,
        ("Strategie", "Verwaltungsdigitalisierung"),
        "Der digitale Einstieg: Ziele, Formate und Ablauf des Angebots, mit Zeit für Ihre Fragen.",
        per_municipality=4,
        confirmed=41,
    ),
    DemoEvent(
        "Themenwerkstatt: Die integrierte Smart-City-Strategie",
        W,
        23,
        "09:30",
        6,
        HYBRID,
        30,
        ("Strategie", "Beteiligung"),
        "Von der Vision zum Maßnahmenplan: Wie Sie eine integrierte Gesamtstrategie erarbeiten, "
        "die Verwaltung, Politik und Stadtgesellschaft mitträgt.",
        venue="Neues Rathaus Leipzig, Festsaal",
        address="Martin-Luther-Ring 4–6, 04109 Leipzig",
        per_municipality=2,
        confirmed=28,
    ),
    DemoEvent(
        "Themenwerkstatt: Open-Source-Lösungen für Kommunen nachnutzen",
        W,
        37,
        "10:00",
        5,
        IN_PERSON,
        20,
        ("Open Source", "Verwaltungsdigitalisierung"),
        "Welche offenen Lösungen gibt es schon, wie passen Sie sie an und wie teilen Sie eigene "
        "Entwicklungen mit anderen Kommunen? Mit Praxisbeispielen aus Modellprojekten.",
        venue="Dortmunder U, Etage 6",
        address="Leonie-Reygers-Terrasse, 44137 Dortmund",
        per_municipality=2,
        confirmed=20,
        waitlisted=4,
    ),
    DemoEvent(
        "Themenwerkstatt: Urbane Datenplattformen aufbauen und betreiben",
        W,
        44,
        "10:00",
        6,
        IN_PERSON,
        16,
        ("Daten & Plattformen", "Open Source"),
        "Architektur, Betrieb und Governance einer kommunalen Datenplattform: was kleine und "
        "mittlere Kommunen wirklich brauchen.",
        venue="Kulturbahnhof Kassel",
        address="Rainer-Dierichs-Platz 1, 34117 Kassel",
        per_municipality=1,
        confirmed=15,
        offered=1,
        waitlisted=3,
        waitlist_mode=WaitlistMode.OFFER,
    ),
    DemoEvent(
        "Peer-Learning: Kommunale Wärmeplanung gemeinsam angehen",
        P,
        12,
        "15:00",
        2,
        ONLINE,
        40,
        ("Energie & Klima", "Daten & Plattformen"),
        "Kommunen berichten, wie sie Daten für die Wärmeplanung erheben und Bürgerinnen und "
        "Bürger frühzeitig einbinden.",
        confirmed=9,
    ),
    DemoEvent(
        "Peer-Learning: Mobilitätsstationen im ländlichen Raum",
        P,
        51,
        "13:00",
        3,
        IN_PERSON,
        25,
        ("Mobilität",),
        "Carsharing, Radboxen und Rufbus an einem Ort: Erfahrungen aus Landkreisen, die es "
        "ausprobiert haben.",
        venue="Rathaus im Stühlinger",
        address="Fehrenbachallee 12, 79106 Freiburg im Breisgau",
        per_municipality=2,
        confirmed=6,
    ),
    DemoEvent(
        "Themenwerkstatt: Digitale Bürgerbeteiligung mit Open-Source-Werkzeugen",
        W,
        65,
        "09:30",
        5.5,
        HYBRID,
        35,
        ("Beteiligung", "Open Source"),
        "Beteiligungsplattformen im Vergleich, rechtssicher betrieben: von der Online-Umfrage "
        "bis zum Bürgerhaushalt.",
        venue="Stadtweinhaus Münster",
        address="Prinzipalmarkt 8–9, 48143 Münster",
        per_municipality=2,
        confirmed=11,
    ),
    DemoEvent(
        "Themenwerkstatt: Sensorik und LoRaWAN in der Kommune",
        W,
        79,
        "10:00",
        5,
        IN_PERSON,
        24,
        ("Daten & Plattformen", "Energie & Klima"),
        "Pegelstände, Bodenfeuchte, Parkplätze: Wie Sie ein Funknetz für Sensoren aufbauen und "
        "die Daten sinnvoll nutzen.",
        venue="Rathaus Erfurt, Festsaal",
        address="Fischmarkt 1, 99084 Erfurt",
        per_municipality=2,
    ),
    DemoEvent(
        "Peer-Learning: Onlinezugangsgesetz in kleinen Gemeinden umsetzen",
        P,
        58,
        "10:00",
        2,
        ONLINE,
        60,
        ("Verwaltungsdigitalisierung",),
        "Wie Gemeinden mit wenig Personal digitale Verwaltungsleistungen anbieten, ohne alles "
        "selbst zu entwickeln.",
        per_municipality=3,
        confirmed=14,
    ),
    DemoEvent(
        "Peer-Learning am Sonntag: Ehrenamt und digitale Dorfplattformen",
        P,
        DST_START_2027,
        "10:00",
        2,
        ONLINE,
        30,
        ("Beteiligung",),
        "Für Ehrenamtliche und Ortsbürgermeisterinnen und -bürgermeister: wie Dorf-Apps und "
        "Nachbarschaftsplattformen das Gemeindeleben stärken. Bitte beachten Sie: In der Nacht "
        "zuvor beginnt die Sommerzeit.",
        per_municipality=2,
        confirmed=5,
    ),
    DemoEvent(
        "Kick-off Start Smart: Auftakt in Mecklenburg-Vorpommern",
        K,
        -40,
        "10:00",
        5,
        IN_PERSON,
        60,
        ("Strategie",),
        "Der Auftakt für die Kommunen in Mecklenburg-Vorpommern, mit Impulsen aus Rostock und "
        "Schwerin.",
        venue="Rathaus Schwerin",
        address="Am Markt 14, 19055 Schwerin",
        per_municipality=3,
        confirmed=37,
        materials=True,
    ),
    DemoEvent(
        "Themenwerkstatt: Künstliche Intelligenz in der Verwaltung",
        W,
        90,
        "10:00",
        5,
        ONLINE,
        40,
        ("Verwaltungsdigitalisierung",),
        "In Planung: Einsatzfelder, Datenschutz und Beschaffung von KI-Anwendungen.",
        status=EventStatus.DRAFT,
    ),
)

MUNICIPALITIES = (
    ("Husum", "01"), ("Lüneburg", "03"), ("Celle", "03"), ("Goslar", "03"),
    ("Detmold", "05"), ("Arnsberg", "05"), ("Marburg", "06"), ("Fulda", "06"),
    ("Speyer", "07"), ("Neuwied", "07"), ("Tübingen", "08"), ("Lörrach", "08"),
    ("Bamberg", "09"), ("Kempten (Allgäu)", "09"), ("Neunkirchen", "10"), ("Cottbus", "12"),
    ("Eberswalde", "12"), ("Greifswald", "13"), ("Wismar", "13"), ("Görlitz", "14"),
    ("Freiberg", "14"), ("Dessau-Roßlau", "15"), ("Wernigerode", "15"), ("Jena", "16"),
    ("Weimar", "16"), ("Gotha", "16"), ("Landkreis Uckermark", "12"), ("Nordhorn", "03"),
    ("Bad Hersfeld", "06"), ("Straubing", "09"),
)  # fmt: skip
FIRST_NAMES = ("Anna", "Jonas", "Leonie", "Murat", "Sabine", "Thomas",
               "Katarzyna", "Felix", "Aylin", "Jörg", "Miriam", "Stefan")  # fmt: skip
LAST_NAMES = ("Schmidt", "Yılmaz", "Becker", "Wagner", "Hoffmann", "Nowak",
              "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Schröder")  # fmt: skip
ROLES = ("Digitalisierungsbeauftragte/r", "Amtsleitung Stadtentwicklung", "Bürgermeister/in",
         "Klimaschutzmanagement", "IT-Leitung", "")  # fmt: skip
