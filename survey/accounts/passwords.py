"""Password rules and hashing: Argon2id with argon2-cffi's defaults (tests may lower the cost through
ARGON2_* config keys), at least 12 characters, not the email, not a leaked, common or keyboard password.

Leaked passwords are recognised offline by zxcvbn, whose dictionaries include the 30,000 most frequent
passwords of leaked password corpora and which also finds them with digits, years, l33t spellings or
reversals around them ("iloveyou2020", "P@ssw0rd1234")."""

from __future__ import annotations

import re
import threading
from typing import Any

from argon2 import PasswordHasher
from flask import current_app, has_app_context
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128  # hashing is deliberately slow; refuse novels
# zxcvbn's estimate takes quadratic time, so its first 64 characters decide: more characters only add
# guesses, and the check stays under a quarter of a second.
ESTIMATED_LENGTH = 64
# zxcvbn's scores: 3 means at least 10^8 guesses even with leaked-password dictionaries and patterns.
MIN_SCORE = 3
# zxcvbn's dictionary built from leaked password corpora.
LEAKED = "passwords"
# Words an attacker tries first against this site, besides the person's own email address.
SITE_WORDS = ("wetterau", "wetteraukreis", "survey", "umfrage", "friedberg")

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
    """Why a password is refused ("short", "long", "email", "breached", "common"), or None when it is
    fine. "breached": a leaked password, or one with only guessable changes to it."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.casefold()
    email = email.strip().casefold()
    local = email.split("@", 1)[0]
    if email and (lowered in (email, local) or email in lowered):
        return "email"
    estimate = _estimate(password, email)
    if estimate is not None:
        return estimate
    letters = re.sub(r"[^a-zäöüß]", "", lowered)
    if letters in COMMON_WORDS or _is_repetition(letters):
        return "common"
    if len(set(lowered)) < 5 or any(lowered in run for run in _RUNS) or _is_repetition(lowered):
        return "common"
    return None


# zxcvbn keeps the words of the person being checked in a module-level dictionary: one check at a time.
_estimating = threading.Lock()


def _estimate(password: str, email: str) -> str | None:
    """zxcvbn's verdict: "breached" when the password is easy to guess because it is built on a leaked
    one, "common" when it is easy to guess otherwise, None when it takes at least 10^8 guesses."""
    personal = [part for part in re.split(r"[@.+_-]", email) if len(part) >= 3]
    with _estimating:
        result = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=[*personal, *SITE_WORDS], max_length=MAX_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    if any(match.get("dictionary_name") == LEAKED for match in result["sequence"]):
        return "breached"
    return "common"


def _is_repetition(text: str) -> bool:
    """'abcabcabcabc', 'passwordpassword', and the empty string (nothing but digits and symbols
    is checked by the rules on the whole password instead)."""
    if not text:
        return False
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False
