"""Password rules and hashing: Argon2id with argon2-cffi's defaults (tests may lower the cost through
ARGON2_* config keys), at least 12 characters, not the email, not a common or keyboard password."""

from __future__ import annotations

import re
from typing import Any

from argon2 import PasswordHasher
from flask import current_app, has_app_context

MIN_LENGTH = 12
MAX_LENGTH = 128  # hashing is deliberately slow; refuse novels

# Config keys that lower the hashing cost; unset keys keep argon2-cffi's defaults.
_HASHER_SETTINGS = ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM")

# Words that make up most leaked passwords once digits and symbols are stripped ("Passwort2024!").
COMMON_WORDS = frozenset(
    """
    password passwort passwords motdepasse contrasena wachtwoord haslo parola sifre qwerty qwertz azerty
    asdf asdfgh asdfghjkl qwertyuiop qwertzuiop yxcvbnm zxcvbnm letmein welcome willkommen iloveyou
    ichliebedich admin administrator root secret geheim geheimnis changeme trustno dragon monkey master
    shadow sunshine princess football fussball baseball superman batman starwars pokemon michael
    jennifer hallo hello hallowelt helloworld summer sommer winter fruehling herbst login access default
    test tester testing guest abc abcdef abcdefg abcdefgh abcdefghijkl abcabc aaa letmeinplease wetterau
    wetteraukreis friedberg umfrage survey interview interviewer researcher forschung integration
    fachstelle deutschland germany berlin frankfurt hessen eintracht bayern correcthorsebatterystaple
    passwordpassword adminadmin
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Keyboard and counting runs: a password that is a piece of one of these is a pattern, not a secret.
_RUNS = (
    "1234567890" * 3,
    "0987654321" * 3,
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",  # German keyboards
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


def password_hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults, unless the app config lowers them (tests only)."""
    config: Any = current_app.config if has_app_context() else {}
    if not any(config.get(key) for key in _HASHER_SETTINGS):
        return PasswordHasher()
    defaults = PasswordHasher()
    return PasswordHasher(
        time_cost=int(config.get("ARGON2_TIME_COST") or defaults.time_cost),
        memory_cost=int(config.get("ARGON2_MEMORY_COST") or defaults.memory_cost),
        parallelism=int(config.get("ARGON2_PARALLELISM") or defaults.parallelism),
    )


def problem(password: str, email: str = "") -> str | None:
    """Why a password is refused ("short", "long", "email", "common"), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.casefold()
    email = email.strip().casefold()
    local = email.split("@", 1)[0]
    if email and (lowered in (email, local) or email in lowered):
        return "email"
    letters = re.sub(r"[^a-zäöüß]", "", lowered)
    if letters in COMMON_WORDS or _is_repetition(letters):
        return "common"
    if len(set(lowered)) < 5 or any(lowered in run for run in _RUNS) or _is_repetition(lowered):
        return "common"
    return None


def _is_repetition(text: str) -> bool:
    """'abcabcabcabc', 'passwordpassword', and the empty string (nothing but digits and symbols
    is checked by the rules on the whole password instead)."""
    if not text:
        return False
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False
