"""What comes in from a platform, cleaned before anything else reads it.

PostgreSQL refuses a NUL byte and lone surrogates that SQLite stores; control characters and
bidirectional overrides make a name or a report read differently from what it says (an
override can turn "#12 gpj.exe" around). Every adapter passes text, captions and names through
here.
"""

from __future__ import annotations

import unicodedata

from core import limits

KEPT = frozenset("\n\t")
# Embeddings, overrides and isolates (and the Arabic letter mark): they reorder what follows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def clean_text(text: str) -> str:
    """The text without NUL, other control characters (newlines and tabs stay), lone
    surrogates or bidirectional controls; a carriage return becomes a newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in KEPT or _shown(c))


def clean_name(name: str | None) -> str | None:
    """A display name on one line, cleaned, cut to what the ward keeps; None when empty."""
    if name is None:
        return None
    one_line = " ".join(clean_text(name).split())
    return one_line[: limits.NAME] or None


def clean_language(code: str | None) -> str | None:
    """A platform's language code, cleaned and cut to what the ward keeps."""
    if code is None:
        return None
    return clean_text(code).strip()[: limits.LANGUAGE_CODE] or None


def _shown(character: str) -> bool:
    category = unicodedata.category(character)
    return category not in ("Cc", "Cs") and character not in BIDI_CONTROLS
