"""Staff accounts (CONTRACT §5): who may sign in to the staff console.

    python -m ui.accounts add USERNAME --role editor|reviewer|admin    # password read from stdin
    python -m ui.accounts list [--json]

Accounts live in ``<data dir>/staff.sqlite3`` (mode 0600), so ``ASSISTANT_DATA_DIR`` selects them.
A password is stored only as a bcrypt hash (of its SHA-256, so a long passphrase counts whole past
bcrypt's 72 bytes); ``list`` never shows it. Signing in is
throttled per user name: after ``MAX_FAILURES`` wrong passwords within ``FAILURE_WINDOW_S`` the name
is refused until the window has passed, so guessing costs hours, not seconds.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from library.settings import Settings

ROLES = ("editor", "reviewer", "admin")
FILE_NAME = "staff.sqlite3"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
BCRYPT_ROUNDS = 12
_COMMON = frozenset(
    "password password1 password123 passw0rd 123456789012 qwertyuiopas letmein12345 iloveyou1234 "
    "welcome12345 administrator changeme1234 ketamine1234 clinic123456 trustno1trustno1".split()
)


class AccountError(ValueError):
    """A one-line reason an account cannot be created or a file cannot be read."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    created: str
    password_hash: str

    def contract_json(self) -> dict:
        return {"username": self.username, "role": self.role, "created": self.created}


def accounts_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / FILE_NAME


def password_problem(username: str, password: str) -> str | None:
    """Why a password is too weak, or None."""
    if not password or not password.strip():
        return "the password is empty"
    if len(password) < MIN_PASSWORD_CHARS:
        return f"the password must have at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"the password must have at most {MAX_PASSWORD_CHARS} characters"
    if len(set(password)) < 5:
        return "the password repeats too few different characters"
    if password.casefold() in _COMMON or username.casefold() in password.casefold():
        return "the password is too easy to guess (a common password, or it contains the user name)"
    return None


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password[:MAX_PASSWORD_CHARS].encode("utf-8", "replace")).digest())


def hash_password(password: str) -> str:
    import bcrypt

    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, stored: str) -> bool:
    import bcrypt

    try:
        return bcrypt.checkpw(_prehash(password), stored.encode("ascii"))
    except (ValueError, TypeError):
        return False


_SCHEMA = "CREATE TABLE IF NOT EXISTS accounts (username TEXT PRIMARY KEY, role TEXT NOT NULL, created TEXT NOT NULL, password_hash TEXT NOT NULL)"


def _connect(settings: Settings, create: bool) -> sqlite3.Connection | None:
    path = accounts_path(settings)
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        db = sqlite3.connect(path, timeout=5)
        db.execute(_SCHEMA)
        os.chmod(path, 0o600)
        return db
    except sqlite3.Error as exc:
        raise AccountError(f"{path}: not a readable accounts database ({exc.__class__.__name__})") from exc


def load(settings: Settings) -> dict[str, Account]:
    db = _connect(settings, create=False)
    if db is None:
        return {}
    try:
        rows = db.execute("SELECT username, role, created, password_hash FROM accounts").fetchall()
    except sqlite3.Error as exc:
        raise AccountError(f"{accounts_path(settings)}: not a readable accounts database ({exc.__class__.__name__})") from exc
    finally:
        db.close()
    return {r[0]: Account(*r) for r in rows}


def add(settings: Settings, username: str, role: str, password: str, now: datetime | None = None) -> Account:
    """Create or update one account; raises AccountError with a one-line reason."""
    if not USERNAME.match(username or ""):
        raise AccountError("the user name must be 2 to 64 letters, digits or . _ @ -, starting with a letter or digit")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    problem = password_problem(username, password)
    if problem:
        raise AccountError(problem)
    existing = load(settings).get(username)
    created = existing.created if existing else (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    account = Account(username, role, created, hash_password(password))
    db = _connect(settings, create=True)
    try:
        with db:
            db.execute(
                "INSERT INTO accounts VALUES (?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET role=excluded.role, password_hash=excluded.password_hash",
                (account.username, account.role, account.created, account.password_hash),
            )
    except sqlite3.Error as exc:
        raise AccountError(f"{accounts_path(settings)}: cannot be written ({exc.__class__.__name__})") from exc
    finally:
        db.close()
    return account


_DUMMY_HASH = "$2b$12$501OrSoK60umNUZuCGCbMeKhJ9MG/Jfhgyv.5lk8AkFjdGG8Ipmzy"  # bcrypt of an unguessable string


class SignIn:
    """The staff console's password check: the accounts file (re-read when it changes) and, for
    older set-ups, the one login of ASSISTANT_STAFF_USERNAME / ASSISTANT_STAFF_PASSWORD. Throttled
    per user name."""

    def __init__(self, settings: Settings, legacy: tuple[str, str] | None = None, clock=time.monotonic):
        self.settings = settings
        self.legacy = legacy
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def available(self) -> bool:
        try:
            return bool(self.legacy) or bool(load(self.settings))
        except AccountError:
            return bool(self.legacy)

    def role(self, username: str) -> str | None:
        try:
            account = load(self.settings).get(username)
        except AccountError:
            account = None
        if account:
            return account.role
        return "admin" if self.legacy and username == self.legacy[0] else None

    def locked(self, username: str) -> bool:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(username[:64], []) if now - t < FAILURE_WINDOW_S]
            self._failures[username[:64]] = recent
            if len(self._failures) > 10_000:  # bounded: forget the oldest names
                for name in list(self._failures)[:5_000]:
                    self._failures.pop(name, None)
            return len(recent) >= MAX_FAILURES

    def __call__(self, username: str, password: str) -> bool:
        username, password = str(username or "")[:64], str(password or "")[:MAX_PASSWORD_CHARS]
        if self.locked(username):
            return False
        ok = False
        try:
            account = load(self.settings).get(username)
        except AccountError:
            account = None
        if account is not None:
            ok = verify_password(password, account.password_hash)
        else:
            verify_password(password, _DUMMY_HASH)  # the same time either way
        if not ok and self.legacy:
            ok = hmac.compare_digest(username.encode(), self.legacy[0].encode()) & hmac.compare_digest(password.encode(), self.legacy[1].encode())
        if not ok:
            with self._lock:
                self._failures.setdefault(username, []).append(self.clock())
        return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.accounts", description="Staff accounts (CONTRACT §5).")
    sub = parser.add_subparsers(dest="command", required=True)
    p_add = sub.add_parser("add", help="create or update an account; the password is read from stdin")
    p_add.add_argument("username")
    p_add.add_argument("--role", required=True, choices=ROLES)
    p_list = sub.add_parser("list", help="list the accounts (never a password or hash)")
    p_list.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        if args.command == "add":
            password = sys.stdin.readline(MAX_PASSWORD_CHARS + 2).rstrip("\r\n")
            account = add(settings, args.username, args.role, password)
            print(f"saved {account.username} ({account.role})")
            return 0
        accounts = load(settings)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([a.contract_json() for a in sorted(accounts.values(), key=lambda a: a.username)]))
    else:
        for a in sorted(accounts.values(), key=lambda a: a.username):
            print(f"{a.username}\t{a.role}\t{a.created}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
