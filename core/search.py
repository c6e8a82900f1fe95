"""Alley search without diacritics: "hem 51 3 thang 2" finds "Hẻm 51 Đường 3 Tháng 2"."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: diacritics dropped, đ read as d, punctuation as spaces."""
    text = text.lower().replace("đ", "d")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return " ".join(_NOT_WORD.sub(" ", stripped).split())


def words(query: str) -> list[str]:
    return fold(query).split()


def score(query_words: list[str], folded_name: str) -> int:
    """How well an alley's folded name matches; 0 when a query word is not in it.

    Every query word must begin some word of the name; a whole-word match counts double,
    so "hem 5" prefers "Hẻm 5" to "Hẻm 51".
    """
    if not query_words:
        return 0
    name_words = folded_name.split()
    total = 0
    for word in query_words:
        if word in name_words:
            total += 2
        elif any(n.startswith(word) for n in name_words):
            total += 1
        else:
            return 0
    return total
