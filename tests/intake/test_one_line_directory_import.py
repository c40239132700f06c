"""The model-project import refuses a municipality name that spans lines."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Municipality


def test_model_project_import_refuses_a_name_with_a_line_break(runner, session, tmp_path):
    csv_file = tmp_path / "mpsc.csv"
    csv_file.write_text('name;land;ags\nKiel;01;\n"Giftstadt\nBcc: evil@attacker.example";01;\n')

    result = runner.invoke(args=["municipalities", "import-mpsc", str(csv_file)])

    assert result.exit_code != 0
    assert "Zeile 3: Der Name muss in einer Zeile stehen" in result.output
    assert session.scalars(select(Municipality)).all() == []
