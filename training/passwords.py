"""Generated root user passwords that always meet Account Settings' root password policy."""

import secrets
import string

from accounts.services.root_user import PASSWORD_SYMBOLS

CHARACTER_SETS = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "".join(sorted(PASSWORD_SYMBOLS)))
RULES = (
    "8 to 128 characters, with at least three of: uppercase letters, lowercase letters, numbers and "
    "symbols (! @ # $ % ^ & * ( ) < > [ ] { } | _ + - =). Not your email address."
)


def generate_root_password(length: int = 16) -> str:
    """One character of each kind, the rest mixed, shuffled."""
    alphabet = "".join(CHARACTER_SETS)
    picks = [secrets.choice(characters) for characters in CHARACTER_SETS]
    picks += [secrets.choice(alphabet) for _ in range(length - len(picks))]
    secrets.SystemRandom().shuffle(picks)
    return "".join(picks)
