"""`flask users create|set-password|deactivate`."""

from __future__ import annotations

from app.backoffice.accounts import find_user


def test_first_admin_is_made_with_one_command(runner, session):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Chefin@KTS.example",
            "--role",
            "admin",
            "--password",
            "ein-sehr-gutes-passwort",
        ]
    )
    assert result.exit_code == 0, result.output
    user = find_user(session, "chefin@kts.example")
    assert user.is_admin and user.check_password("ein-sehr-gutes-passwort")


def test_create_prompts_for_the_password_twice(runner, session):
    result = runner.invoke(
        args=["users", "create", "--email", "orga@kts.example"],
        input="ein-sehr-gutes-passwort\nein-sehr-gutes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user(session, "orga@kts.example").role.value == "organiser"


def test_create_refuses_a_duplicate_and_a_short_password(runner):
    args = ["users", "create", "--email", "a@kts.example", "--password", "ein-sehr-gutes-passwort"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "gibt es schon" in again.output
    short = runner.invoke(
        args=["users", "create", "--email", "b@kts.example", "--password", "kurz"]
    )
    assert short.exit_code != 0 and "mindestens 12 Zeichen" in short.output


def test_set_password_and_deactivate(runner, session):
    runner.invoke(args=["users", "create", "--email", "a@kts.example", "--password", "x" * 12])
    result = runner.invoke(
        args=["users", "set-password", "--email", "a@kts.example", "--password", "y" * 12]
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert find_user(session, "a@kts.example").check_password("y" * 12)
    result = runner.invoke(args=["users", "deactivate", "--email", "a@kts.example"])
    assert result.exit_code == 0
    session.expire_all()
    assert not find_user(session, "a@kts.example").active
    missing = runner.invoke(args=["users", "deactivate", "--email", "nobody@kts.example"])
    assert missing.exit_code != 0
