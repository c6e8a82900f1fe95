"""Reports' commands, buttons and steps: residents filing and following, officers triaging."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.reports import resident, triage
from core.model import Role
from core.reports import MAY_TRIAGE

FEATURE = Feature(
    commands=(
        Command("report", resident.report, N_("tell the ward what is wrong"), alias="phananh"),
        Command(
            "myreports",
            resident.my_reports,
            N_("your reports and their states"),
            alias="phananhcuatoi",
        ),
        Command(
            "inbox",
            triage.inbox,
            N_("open reports, the most pressing first"),
            alias="hopthu",
            usage=N_("[filters]"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "show",
            triage.show,
            N_("one report in full"),
            alias="xem",
            usage=N_("<number>"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "status",
            triage.status,
            N_("move a report on"),
            alias="trangthai",
            usage=N_("<number> <state> [note]"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "reply",
            triage.reply,
            N_("write to a report's reporter"),
            alias="traloi",
            usage=N_("<number> <text>"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "note",
            triage.note,
            N_("a note on a report for officers only"),
            alias="ghichu",
            usage=N_("<number> <text>"),
            roles=MAY_TRIAGE,
        ),
        Command(
            "linkofficers",
            triage.link_officers,
            N_("receive the ward's new reports in this group"),
            roles=frozenset({Role.ADMIN}),
        ),
    ),
    buttons=(
        Button("rcat", resident.pick_category),
        Button("rnext", resident.photos_done),
        Button("rwhere", resident.where_alley),
        Button("ranon", resident.pick_anonymous),
        Button("rsend", resident.send),
        Button("rbell", resident.from_bell),
        Button("radd", resident.offer_more),
        Button("rfix", resident.judge_fix),
        Button("rrate", resident.rate),
        Button("rs", triage.move_choice),
        Button("rrej", triage.ask_reason),
        Button("rdup", triage.ask_original),
        Button("rme", triage.assign_me),
        Button("rshow", triage.show_choice),
        Button("ibp", triage.inbox_page),
    ),
    steps=(
        Step(resident.DIALOGUE, "description", resident.describe),
        Step(resident.DIALOGUE, "photos", resident.add_photo, resident.PHOTO_KINDS),
        Step(resident.DIALOGUE, "where", resident.where_pin, resident.WHERE_KINDS),
        Step(resident.ADD, "photo", resident.added_photo, resident.PHOTO_KINDS),
        Step(resident.ADD, "where", resident.added_location, resident.WHERE_KINDS),
        Step(resident.REOPEN, "note", resident.reopen),
        Step(triage.DIALOGUE, "reject", triage.reason_typed),
        Step(triage.DIALOGUE, "duplicate", triage.original_typed, numbers=True),
    ),
)
