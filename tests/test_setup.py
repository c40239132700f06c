"""Set-up: configuration from the environment, and a schema made only by the migrations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from config import (
    INSECURE_SECRET_KEY,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_for,
    normalise_database_url,
)

ROOT = Path(__file__).resolve().parent.parent
MIGRATION_SCHEMA = "migration_check"  # PostgreSQL: apart from the schema the other tests use


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter, so that config.py reads this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"APP_ENV", "DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH", "FLASK_APP"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- configuration -------------------------------------------------------------------------


def test_app_env_selects_the_configuration(monkeypatch):
    for name, expected in [
        ("development", DevelopmentConfig),
        ("testing", TestingConfig),
        ("production", ProductionConfig),
    ]:
        monkeypatch.setenv("APP_ENV", name)
        assert config_for() is expected
    monkeypatch.delenv("APP_ENV")
    assert config_for() is ProductionConfig  # forgetting APP_ENV fails closed
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV must be one of"):
        config_for()


def test_database_defaults_to_a_sqlite_file_in_the_instance_folder(tmp_path):
    code = "import config; print(config.Config.SQLALCHEMY_DATABASE_URI)"
    result = run_python(code, INSTANCE_PATH=str(tmp_path))
    assert result.stdout.strip() == f"sqlite:///{tmp_path}/startsmart.sqlite"
    result = run_python(code)
    assert result.stdout.strip() == f"sqlite:///{ROOT}/instance/startsmart.sqlite"


def test_database_url_is_read_and_uses_psycopg(tmp_path):
    code = "import config; print(config.Config.SQLALCHEMY_DATABASE_URI)"
    result = run_python(code, DATABASE_URL="postgres://kts@db.example/startsmart")
    assert result.stdout.strip() == "postgresql+psycopg://kts@db.example/startsmart"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    for key in (INSECURE_SECRET_KEY, "", "short-but-set"):
        with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
            create_app(ProductionConfig, SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app(ProductionConfig, SECRET_KEY="x" * 64, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug


def test_production_process_exits_with_a_clear_message(tmp_path):
    code = "from app import create_app; create_app()"
    refused = run_python(code, APP_ENV="production", INSTANCE_PATH=str(tmp_path))
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    started = run_python(
        code, APP_ENV="production", INSTANCE_PATH=str(tmp_path), SECRET_KEY="k" * 64
    )
    assert started.returncode == 0, started.stderr


def test_readme_documents_every_environment_variable():
    config_source = (ROOT / "config.py").read_text()
    read = set(re.findall(r"env_(?:str|int|bool)\(\s*\"([A-Z0-9_]+)\"", config_source))
    read |= set(re.findall(r"os\.environ(?:\.get\(|\[)\"([A-Z0-9_]+)\"", config_source))
    read.add("APP_ENV")
    readme = (ROOT / "README.md").read_text()
    table = set(re.findall(r"^\| `([A-Z0-9_]+)`", readme, flags=re.MULTILINE))
    assert sorted(read - table) == [], "read in config.py but missing in the README's table"
    tests_read = {"TEST_POSTGRES_URL", "CI"}
    assert sorted(table - read - tests_read) == [], "in the README's table but read nowhere"


# --- migrations ----------------------------------------------------------------------------


@pytest.fixture
def migration_app(database_url, tmp_path):
    """An app on an empty database: a new SQLite file, or a fresh schema on PostgreSQL."""
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/migrations.sqlite"
    else:
        url = normalise_database_url(database_url)
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {MIGRATION_SCHEMA}")
        options["connect_args"] = {"options": f"-csearch_path={MIGRATION_SCHEMA}"}
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options)
    app.instance_path = str(tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if not database_url.startswith("sqlite"):
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE")
        engine.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_upgrade_downgrade_and_upgrade_again(migration_app):
    model_tables = set(db.metadata.tables)
    assert table_names() == set()

    upgrade()
    assert table_names() == model_tables

    downgrade(revision="base")
    assert table_names() == set()

    upgrade()
    assert table_names() == model_tables


def test_models_and_migrations_agree(migration_app):
    upgrade()
    differences = schema_differences()
    assert differences == [], "models changed without a migration (or the reverse)"


# --- documentation -------------------------------------------------------------------------


def test_readme_state_diagram_matches_the_allowed_transitions():
    from app.booking.status import ALLOWED

    readme = (ROOT / "README.md").read_text()
    diagram = readme.split("stateDiagram-v2", 1)[1].split("```", 1)[0]
    drawn = {
        (source, target)
        for source, target in re.findall(r"^\s*(\w+) --> (\w+)", diagram, flags=re.MULTILINE)
    }
    allowed = {(old.value, new.value) for old, targets in ALLOWED.items() for new in targets}
    assert drawn == allowed
