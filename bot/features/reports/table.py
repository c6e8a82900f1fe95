"""Reports' commands, buttons and steps: residents filing and following, officers triaging."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.reports import filing, following, inbox, triage
from bot.features.reports.attachments import PHOTO_KINDS, WHERE_KINDS
from core.model import Role
from core.reports import MAY_TRIAGE

FEATURE = Feature(
    commands=(
        Command("report", filing.report, N_("tell the ward what is wrong"), alias="phananh"),
        Command(
            "myreports",
            following.my_reports,
            N_("your reports and their states"),
            alias="phananhcuatoi",
        ),
        Command(
            "inbox",
            inbox.inbox,
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
        Button(filing.PICK_CATEGORY, filing.pick_category),
        Button(filing.PHOTOS_DONE, filing.photos_done),
        Button(filing.PICK_ALLEY, filing.where_alley),
        Button(filing.PICK_ANONYMOUS, filing.pick_anonymous),
        Button(filing.SEND, filing.send),
        Button(filing.FROM_BELL, filing.from_bell),
        Button(following.ADD_MORE, following.offer_more),
        Button(following.JUDGE_FIX, following.judge_fix),
        Button(following.RATE, following.rate),
        Button(triage.MOVE, triage.move_choice),
        Button(triage.ASK_REASON, triage.ask_reason),
        Button(triage.ASK_ORIGINAL, triage.ask_original),
        Button(triage.ASSIGN_ME, triage.assign_me),
        Button(triage.SHOW, triage.show_choice),
        Button(inbox.NEXT_PAGE, inbox.inbox_page),
    ),
    steps=(
        Step(filing.DIALOGUE, "description", filing.describe),
        Step(filing.DIALOGUE, "photos", filing.add_photo, PHOTO_KINDS),
        Step(filing.DIALOGUE, "where", filing.where_pin, WHERE_KINDS),
        Step(following.ADD, "photo", following.added_photo, PHOTO_KINDS),
        Step(following.ADD, "where", following.added_location, WHERE_KINDS),
        Step(following.REOPEN, "note", following.reopen),
        Step(triage.DIALOGUE, "reject", triage.reason_typed),
        Step(triage.DIALOGUE, "duplicate", triage.original_typed, numbers=True),
    ),
)
