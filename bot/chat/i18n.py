"""gettext catalogues read straight from the `.po` files: no build step."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from locales import DIRECTORY, LANGUAGES

DOMAIN = "urbanbell"


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where shown."""
    return message


class Catalogues:
    """One translations object per supported language, loaded once."""

    def __init__(
        self, languages: tuple[str, ...] = LANGUAGES, directory: Path = DIRECTORY
    ) -> None:
        self.languages = languages
        self._translations = {lang: _load(directory, lang) for lang in languages}

    def get(self, language: str) -> gettext.NullTranslations:
        return self._translations.get(language) or self._translations[self.languages[0]]

    def pick(self, saved: str | None, platform: str | None, default: str) -> str:
        """The resident's saved choice, else their platform's language if we speak it."""
        if saved in self.languages:
            return saved
        if platform:
            base = platform.replace("_", "-").split("-", 1)[0].lower()
            if base in self.languages:
                return base
        return default


def _load(directory: Path, language: str) -> gettext.NullTranslations:
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
