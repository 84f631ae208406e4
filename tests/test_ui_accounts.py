"""Staff accounts (CONTRACT §5): the CLI, the stored file, and the throttled sign-in."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from library.settings import Settings
from tests.conftest import run_module
from ui import accounts
from ui.accounts import FAILURE_WINDOW_S, MAX_FAILURES, AccountError, SignIn

GOOD = "correct horse battery staple"


def cli(data_dir: Path, *args: str, stdin: str = ""):
    return run_module("ui.accounts", *args, env={"ASSISTANT_DATA_DIR": str(data_dir)}, stdin=stdin, timeout=60)


def test_add_and_list_through_the_cli(tmp_path: Path):
    done = cli(tmp_path, "add", "anna", "--role", "editor", stdin=GOOD + "\n")
    assert done.returncode == 0, done.stderr
    assert cli(tmp_path, "add", "sam", "--role", "admin", stdin="another long passphrase 42\n").returncode == 0
    listed = cli(tmp_path, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["username"], r["role"]) for r in rows] == [("anna", "editor"), ("sam", "admin")]
    assert all(set(r) == {"username", "role", "created"} for r in rows)
    stored = (tmp_path / "staff.sqlite3").read_bytes()
    assert GOOD.encode() not in stored and b"$2b$" in stored  # bcrypt-hashed, never in clear
    assert GOOD not in listed.stdout and "$2b$" not in listed.stdout
    assert stat.S_IMODE((tmp_path / "staff.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize("password", ["", "   ", "short", "aaaaaaaaaaaaaaaa", "password123", "anna-is-my-name-ok"])
def test_a_weak_or_empty_password_exits_1_with_one_line(tmp_path: Path, password: str):
    done = cli(tmp_path, "add", "anna", "--role", "editor", stdin=password + "\n")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1
    assert not accounts.load(Settings(data_dir=tmp_path))


def test_a_long_passphrase_counts_whole(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    long = "x1y2z3" * 20  # 120 characters: past bcrypt's 72 bytes
    accounts.add(settings, "anna", "editor", long)
    assert SignIn(settings)("anna", long) and not SignIn(settings)("anna", long[:-1] + "!")


def test_add_updates_an_account_and_keeps_its_creation_date(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    first = accounts.add(settings, "anna", "editor", GOOD)
    second = accounts.add(settings, "anna", "reviewer", "a different long passphrase")
    assert second.created == first.created and second.role == "reviewer"
    sign_in = SignIn(settings)
    assert sign_in("anna", "a different long passphrase") and not sign_in("anna", GOOD)


def test_unknown_role_and_bad_names_are_refused(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    with pytest.raises(AccountError):
        accounts.add(settings, "anna", "owner", GOOD)
    with pytest.raises(AccountError):
        accounts.add(settings, "../etc", "admin", GOOD)


def test_sign_in_accepts_the_account_and_throttles_guessing(tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    accounts.add(settings, "anna", "editor", GOOD)
    now = [1000.0]
    sign_in = SignIn(settings, clock=lambda: now[0])
    assert sign_in("anna", GOOD)
    assert sign_in.role("anna") == "editor"
    for _ in range(MAX_FAILURES):
        assert not sign_in("anna", "wrong guess")
    assert not sign_in("anna", GOOD)  # locked: even the right password waits
    assert sign_in("someone-else", "x") is False
    now[0] += FAILURE_WINDOW_S + 1
    assert sign_in("anna", GOOD)


def test_the_older_single_login_still_works(tmp_path: Path):
    sign_in = SignIn(Settings(data_dir=tmp_path), legacy=("staff", "a legacy long password"))
    assert sign_in.available() and sign_in("staff", "a legacy long password") and not sign_in("staff", "nope")
    assert not SignIn(Settings(data_dir=tmp_path)).available()


def test_a_corrupt_accounts_file_fails_closed(tmp_path: Path):
    (tmp_path / "staff.sqlite3").write_bytes(b"not a database at all" * 100)
    settings = Settings(data_dir=tmp_path)
    assert SignIn(settings)("anna", GOOD) is False
    done = cli(tmp_path, "list")
    assert done.returncode == 1 and "staff.sqlite3" in done.stderr
