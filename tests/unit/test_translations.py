"""The gettext catalogues: every string of the code translated, placeholders kept, nothing stale.

The strings are extracted from the source here, so a stale `urbanbell.pot` cannot hide one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.chat.i18n import DOMAIN, Catalogues
from locales import DIRECTORY, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
# The packages whose strings residents and officers read.
PACKAGES = ("bot", "core", "urbanbell")
# As `pybabel extract -k _ -k N_ -k ngettext:1,2`; `ctx._(...)` is found as `_`, and so on.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}

Key = tuple[str, str | None]  # (msgid, msgctxt), as a catalogue indexes its messages


@dataclass(frozen=True)
class CodeMessage:
    id: str | tuple[str, ...]  # a tuple (singular, plural) for ngettext
    where: str  # the first place in the code that uses it


@cache
def code_messages() -> Mapping[Key, CodeMessage]:
    found: dict[Key, CodeMessage] = {}
    for package in PACKAGES:
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            singular = message if isinstance(message, str) else message[0]
            where = f"{package}/{filename}:{lineno}"
            found.setdefault((singular, context), CodeMessage(message, where))
    return found


@cache
def catalogue(language: str) -> Catalog:
    path = DIRECTORY / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        return read_po(po, locale=language)


def entries(language: str) -> list[Message]:
    return [message for message in catalogue(language) if message.id]


def key(message: Message) -> Key:
    singular = message.id if isinstance(message.id, str) else message.id[0]
    return singular, message.context


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a format string, those inside format specs included."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return {"<unbalanced braces>"}
    for _literal, field, spec, _conversion in parsed:
        if field is not None:
            names.add("{" + field + "}")
            names |= placeholders(spec or "")
    return names


def forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def fail_on(problems: list[str], what: str, language: str) -> None:
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        pytest.fail(f"{language}/LC_MESSAGES/{DOMAIN}.po, {what}:\n{lines}", pytrace=False)


def test_the_code_has_strings_to_translate() -> None:
    assert len(code_messages()) > 20, "extraction found almost nothing: check KEYWORDS"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_translated(language: str) -> None:
    problems = []
    for k, code in sorted(code_messages().items(), key=lambda item: item[1].where):
        message = catalogue(language).get(*k)
        if message is None:
            problems.append(f"{code.where}: no entry for {code.id!r}")
        elif forms(message.id) != forms(code.id):
            problems.append(f"{code.where}: the entry's singular/plural differs: {code.id!r}")
        elif not all(forms(message.string)):
            problems.append(f"{code.where}: empty msgstr for {code.id!r}")
    fail_on(problems, "untranslated strings", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_marked_fuzzy(language: str) -> None:
    # Fuzzy entries are skipped when the catalogue is loaded: the resident would read English.
    problems = [repr(message.id) for message in entries(language) if message.fuzzy]
    if catalogue(language).fuzzy:
        problems.append("the header")
    fail_on(problems, "fuzzy entries", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(language: str) -> None:
    several = catalogue(language).num_plurals > 1
    problems = []
    for message in entries(language):
        ids = forms(message.id)
        for index, translated in enumerate(forms(message.string)):
            if not translated:
                continue  # reported as untranslated
            # With several forms the first answers to the singular; otherwise to the plural.
            source = ids[0] if index == 0 and several else ids[-1]
            expected, got = placeholders(source), placeholders(translated)
            if got != expected:
                problems.append(
                    f"{source!r}: msgstr[{index}] has {sorted(got)}, expected {sorted(expected)}"
                )
    fail_on(problems, "placeholder mismatches", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_hold_no_strings_the_code_no_longer_uses(language: str) -> None:
    unused = [repr(m.id) for m in entries(language) if key(m) not in code_messages()]
    obsolete = [f"#~ {m.id!r}" for m in catalogue(language).obsolete.values()]
    problems = unused + obsolete
    fail_on(problems, "stale entries (run pybabel update)", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_declares_its_language_and_plural_forms(language: str) -> None:
    headers = dict(catalogue(language).mime_headers)
    assert headers.get("Language") == language
    assert "Plural-Forms" in headers
    assert "charset=utf-8" in headers.get("Content-Type", "").lower()


def test_catalogues_load_every_supported_language() -> None:
    catalogues = Catalogues()
    vietnamese = catalogues.get("vi").gettext("From now on I will speak English with you.")
    english = catalogues.get("en").gettext("From now on I will speak English with you.")
    assert "tiếng Việt" in vietnamese
    assert "English" in english


def test_catalogues_answer_an_unsupported_language_in_the_first_one() -> None:
    catalogues = Catalogues()
    assert catalogues.get("fr").gettext("Keep them all") == catalogues.get(LANGUAGES[0]).gettext(
        "Keep them all"
    )


@pytest.mark.parametrize(
    ("saved", "platform", "expected"),
    [
        ("en", "vi", "en"),  # the saved choice wins
        (None, "en-US", "en"),  # else the platform's language, without its region
        (None, "en_GB", "en"),
        ("fr", "en", "en"),  # a saved choice we cannot speak is passed over
        (None, "fr", "vi"),  # else the default
        (None, None, "vi"),
        (None, "", "vi"),
    ],
)
def test_pick_takes_the_saved_choice_then_the_platform_language_then_the_default(
    saved: str | None, platform: str | None, expected: str
) -> None:
    assert Catalogues().pick(saved, platform, "vi") == expected
