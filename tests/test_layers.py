"""The import arrows between the packages of app/, read from the source with ``ast``.

Arrows point down: core and models know no domain; mail and calendar know no domain and no
page; no module imports another's pages (only the factory registers them); a domain reaches
the back office only through its guard; the application never imports the tests or the
benchmarks. Every ``import`` counts, at the top of a module or inside a function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

DOMAINS = (
    "booking",
    "programme",
    "intake",
    "messaging",
    "reporting",
    "privacy",
    "feeds",
    "materials",
    "api",
    "backoffice",
    "devbox",
    "certificates",
    "feedback",
)
FOUNDATIONS = ("core", "models")
PURE = ("mail", "calendar")
LOOSE_MODULES = {"__init__.py", "extensions.py", "cli.py"}
FACTORY = "app"
GUARD = "app.backoffice.guard"


@dataclass(frozen=True)
class Arrow:
    """One import: ``source`` (a module of app/) imports ``target`` at ``line``."""

    path: str
    line: int
    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


MODULES = app_modules()


def resolve_relative(source: str, is_package: bool, level: int, name: str | None) -> str:
    base = source.split(".") if is_package else source.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([name] if name else []))


def imports_of(path: Path) -> list[Arrow]:
    """Every module ``path`` imports. ``from X import y`` counts as X.y when that is a module."""
    source = module_name(path)
    shown = str(path.relative_to(ROOT))
    arrows = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=shown)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = resolve_relative(source, path.name == "__init__.py", node.level, node.module)
            targets = []
            for alias in node.names:
                submodule = f"{base}.{alias.name}" if base else alias.name
                targets.append(submodule if submodule in MODULES else base)
        else:
            continue
        arrows.extend(Arrow(shown, node.lineno, source, target) for target in targets)
    return arrows


ARROWS = [arrow for path in MODULES.values() for arrow in imports_of(path)]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def within_any(module: str, packages) -> bool:
    return any(within(module, f"app.{package}") for package in packages)


def is_page_module(module: str) -> bool:
    return module.rsplit(".", 1)[-1].endswith("pages") or module == "app.api.views"


def report(rule: str, arrows: list[Arrow]) -> str:
    return f"{rule}:\n" + "\n".join(f"  {arrow}" for arrow in arrows)


def test_core_and_models_import_no_domain_nor_mail_nor_calendar():
    forbidden = DOMAINS + PURE
    wrong = [
        arrow
        for arrow in ARROWS
        if within_any(arrow.source, FOUNDATIONS) and within_any(arrow.target, forbidden)
    ]
    assert not wrong, report("app.core and app.models import no domain, mail or calendar", wrong)


def test_mail_and_calendar_import_no_domain_and_no_page():
    wrong = [
        arrow
        for arrow in ARROWS
        if within_any(arrow.source, PURE)
        and (within_any(arrow.target, DOMAINS) or is_page_module(arrow.target))
    ]
    assert not wrong, report("app.mail and app.calendar import no domain and no page", wrong)


def test_only_the_factory_imports_page_modules():
    wrong = [
        arrow
        for arrow in ARROWS
        if arrow.source != FACTORY and within(arrow.target, "app") and is_page_module(arrow.target)
    ]
    assert not wrong, report(
        "no module imports a page module (*pages, app.api.views) except app/__init__.py", wrong
    )


def test_domains_reach_the_back_office_only_through_its_guard():
    excepted = {FACTORY, "app.cli"}
    wrong = [
        arrow
        for arrow in ARROWS
        if arrow.source not in excepted
        and not within(arrow.source, "app.backoffice")
        and within(arrow.target, "app.backoffice")
        and arrow.target != GUARD
    ]
    assert not wrong, report(f"outside app.backoffice only {GUARD} may be imported", wrong)


def test_app_never_imports_tests_or_benchmarks():
    wrong = [
        arrow for arrow in ARROWS if within(arrow.target, "tests") or within(arrow.target, "bench")
    ]
    assert not wrong, report("nothing in app/ imports tests or bench", wrong)


def test_app_has_no_loose_modules_besides_factory_extensions_and_cli():
    loose = sorted(path.name for path in APP.glob("*.py") if path.name not in LOOSE_MODULES)
    assert not loose, f"app/ holds only {sorted(LOOSE_MODULES)} besides packages: {loose}"


def test_every_package_in_app_is_known_to_the_layer_rules():
    packages = {path.parent.name for path in APP.glob("*/__init__.py")}
    unknown = sorted(packages - set(DOMAINS + FOUNDATIONS + PURE))
    assert not unknown, f"packages the layer rules do not place (add them to tests): {unknown}"


def test_the_reader_sees_imports_inside_functions():
    # The factory imports its blueprints' modules and the CLI groups inside functions.
    factory = {arrow.target for arrow in ARROWS if arrow.source == FACTORY}
    cli = {arrow.target for arrow in ARROWS if arrow.source == "app.cli"}
    assert "app.devbox.pages" in factory
    assert "app.backoffice.cli" in cli
