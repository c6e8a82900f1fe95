"""The figures' commands: residents' indicators, officers' statistics and exports."""

from bot.chat.i18n import N_
from bot.chat.table import Command, Feature
from bot.features.figures import handlers
from core.reports import MAY_TRIAGE

FEATURE = Feature(
    commands=(
        Command(
            "indicators",
            handlers.show_indicators,
            N_("how the ward is doing, in figures"),
            alias="chiso",
        ),
        Command(
            "stats",
            handlers.show_stats,
            N_("the ward's figures and chart"),
            alias="thongke",
            usage=N_("[period]"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "export",
            handlers.send_export,
            N_("the period's reports as CSV"),
            alias="xuat",
            usage=N_("[period]"),
            roles=MAY_TRIAGE,
        ),
    ),
)
