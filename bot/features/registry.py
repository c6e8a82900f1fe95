"""Every feature of the bot, in the order `/help` and the menus list their commands."""

from bot.chat.router import Router
from bot.chat.table import Feature
from bot.features.announcements import table as announcements
from bot.features.bell import table as bell
from bot.features.calls import table as calls
from bot.features.figures import table as figures
from bot.features.general import table as general
from bot.features.privacy import table as privacy
from bot.features.reports import table as reports

FEATURES: tuple[Feature, ...] = (
    bell.FEATURE,
    reports.FEATURE,
    figures.FEATURE,
    calls.FEATURE,
    announcements.FEATURE,
    privacy.FEATURE,
    general.FEATURE,
)


def build_router() -> Router:
    return Router(FEATURES, general.FALLBACKS)
