"""The gettext catalogues, one folder per language; the first language is the default."""

from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent
LANGUAGES = ("vi", "en")
