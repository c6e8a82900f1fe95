"""Residents' reports: the guided /report, the quick one, /myreports, and judging a fix."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat.context import Context
from bot.chat.events import Incoming, Kind
from bot.chat.plain import parse_number
from bot.chat.render import alley_name
from bot.chat.replies import Choice
from bot.features.general.handlers import out_of_date
from bot.features.reports.wording import CATEGORY_NAMES, STATE_NAMES, title, when
from core import geo, search, subscriptions, triage
from core.errors import MoveNotAllowed, ReportNotFound, TooManyReports
from core.model import Alley
from core.reports import Category, Report
from core.triage import Draft

DIALOGUE = "report"
ADD = "report-add"
REOPEN = "report-reopen"
PHOTO_KINDS = frozenset({Kind.PHOTO, Kind.TEXT, Kind.OTHER})
WHERE_KINDS = frozenset({Kind.LOCATION, Kind.TEXT})
NEAR_METRES = 300  # a pin this close to a known alley is taken to be in it
MY_REPORTS = 10
# Words residents may type for a category in `/report <category> <description>`.
CATEGORY_WORDS = {
    **{category.value: category for category in Category},
    "rac": Category.LITTER,
    "racthai": Category.LITTER,
    "dotrom": Category.LITTER,
    "den": Category.LIGHTING,
    "chieusang": Category.LIGHTING,
    "cong": Category.DRAINAGE,
    "thoatnuoc": Category.DRAINAGE,
    "duong": Category.ROAD,
    "khac": Category.OTHER,
}


async def report(ctx: Context, event: Incoming) -> None:
    """`/report` asks step by step; `/report <category> <description>` files at once."""
    if not await _may_file(ctx):
        return
    if event.args:
        await _quick(ctx, event.args)
        return
    _ = ctx._
    ctx.begin(DIALOGUE, "category")
    ctx.say(_("What is wrong? Pick a category:"), _category_choices(ctx))


async def pick_category(ctx: Context, args: list[str]) -> None:
    _ = ctx._
    if not _in_dialogue(ctx, "category") or len(args) != 1 or args[0] not in set(Category):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    ctx.dialogue.data["category"] = args[0]
    ctx.dialogue.step = "description"
    ctx.say(_("Describe it in a few words: what, where exactly, since when."))


async def describe(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    ctx.dialogue.data["description"] = event.text
    ctx.dialogue.step = "photos"
    ctx.say(
        _("Send one or more photos if you can, then press Next."),
        [Choice(_("Next"), "rnext"), Choice(_("Cancel"), "cancel")],
    )


async def add_photo(ctx: Context, event: Incoming) -> None:
    """Collect photos of the report being written; anything else gets a hint."""
    _ = ctx._
    assert ctx.dialogue is not None
    next_step = [Choice(_("Next"), "rnext"), Choice(_("Cancel"), "cancel")]
    if not _photo_fits(ctx, event, next_step):
        return
    assert event.photo is not None
    photos = [str(p) for p in _list(ctx.dialogue.data.get("photos"))] + [event.photo.ref]
    ctx.dialogue.data["photos"] = photos
    ctx.say(
        ctx.ngettext(
            "{count} photo added. Send more, or press Next.",
            "{count} photos added. Send more, or press Next.",
            len(photos),
        ).format(count=len(photos)),
        next_step,
    )


async def photos_done(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "photos"):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    if "alley" in ctx.dialogue.data:  # it came from a bell: the place is known
        _ask_anonymous(ctx)
        return
    await _ask_where(ctx)


async def where_pin(ctx: Context, event: Incoming) -> None:
    """A pin, or the words of an alley's name, says where the problem is."""
    _ = ctx._
    assert ctx.dialogue is not None
    if event.kind is Kind.TEXT:
        found = await subscriptions.find_alleys(ctx.uow, event.text)
        if not found:
            ctx.say(
                _(
                    "I found no alley matching “{query}”. Try other words, or share a location."
                ).format(query=event.text)
            )
            return
        ctx.say(
            _("Which one?"),
            [Choice(alley_name(alley), f"rwhere:{alley.code}") for alley in found],
        )
        return
    assert event.location is not None
    alley = geo.nearest(await ctx.uow.alleys.located(), event.location, NEAR_METRES)
    if alley is None:
        ctx.dialogue.data["location"] = list(event.location)
        ctx.say(
            _("Thank you. Which alley is it in, or nearest to? Type its name or pick one:"),
            await _my_alley_choices(ctx),
        )
        return
    ctx.dialogue.data["location"] = list(event.location)
    await _place_known(ctx, alley)


async def where_alley(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "where") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    alley = await ctx.uow.alleys.by_code(args[0])
    if alley is None:
        await out_of_date(ctx, args)
        return
    await _place_known(ctx, alley)


async def pick_anonymous(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "anonymous") or args not in (["y"], ["n"]):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    ctx.dialogue.data["anonymous"] = args == ["y"]
    ctx.dialogue.step = "confirm"
    _ = ctx._
    data = ctx.dialogue.data
    lines = [
        _("Please check your report:"),
        _("Category: {category}").format(
            category=_(CATEGORY_NAMES[Category(str(data["category"]))])
        ),
        _("Where: {place}").format(place=str(data.get("place", ""))),
        str(data["description"]),
        ctx.ngettext("{count} photo", "{count} photos", len(_list(data.get("photos")))).format(
            count=len(_list(data.get("photos")))
        ),
        _("Anonymous: the ward's officers will not see who you are.")
        if data["anonymous"]
        else _("With your name: the ward's officers may contact you."),
    ]
    ctx.say(
        "\n".join(lines),
        [Choice(_("Send the report"), "rsend"), Choice(_("Cancel"), "cancel")],
    )


async def send(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "confirm"):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    await _file(ctx, ctx.dialogue.data)


async def from_bell(ctx: Context, args: list[str]) -> None:
    """The bell's "missed collection / litter here" button: a report about that collection."""
    _ = ctx._
    minute = parse_number(args[1]) if len(args) == 2 else None
    alley = await ctx.uow.alleys.by_code(args[0]) if minute is not None else None
    collection = _collection_at(minute, alley) if minute is not None else None
    if alley is None or collection is None:
        await out_of_date(ctx, args)
        return
    if not await _may_file(ctx):
        return
    ctx.begin(
        DIALOGUE,
        "description",
        category=Category.LITTER.value,
        alley=alley.code,
        ward=alley.ward.id,
        place=alley_name(alley),
        collection=collection.isoformat(),
    )
    ctx.say(
        _(
            "A report about {alley}, collection of {time}. What happened? "
            "(the truck did not come, garbage left on the street, …)"
        ).format(alley=alley.name, time=collection.strftime("%d/%m %H:%M"))
    )


async def my_reports(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    mine = await ctx.uow.reports.of_resident(ctx.resident.id, MY_REPORTS)
    if not mine:
        ctx.say(_("You have filed no report yet. Send /report to file one."))
        return
    lines = [_("Your reports, newest first:")]
    for found in mine:
        lines.append(
            _("{title}: {state} (filed {when})").format(
                title=title(_, found),
                state=_(STATE_NAMES[found.state]),
                when=when(found.created_at, found, ctx.language),
            )
        )
    ctx.say("\n".join(lines))


async def offer_more(ctx: Context, args: list[str]) -> None:
    """After a quick report: add a photo (`radd:<n>:photo`) or a location (`radd:<n>:where`)."""
    _ = ctx._
    found = await _pressed_on_mine(ctx, args, ("photo", "where"))
    if found is None:
        return
    ctx.begin(ADD, args[1], report=found.id)
    if args[1] == "photo":
        ctx.say(_("Send the photo for #{number}.").format(number=found.id))
    else:
        ctx.say(_("Share the location of #{number} (attach → Location).").format(number=found.id))


async def added_photo(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    if not _photo_fits(ctx, event, []):
        return
    assert event.photo is not None
    number = int(str(ctx.dialogue.data["report"]))
    await triage.add_photo(ctx.uow, ctx.resident, number, event.photo.ref, ctx.now)
    ctx.say(
        _("Photo added to #{number}. Send another, or /cancel when done.").format(number=number)
    )


async def added_location(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    if event.location is None:
        ctx.say(_("Please share a location (attach → Location), or /cancel."))
        return
    number = int(str(ctx.dialogue.data["report"]))
    await triage.set_location(ctx.uow, ctx.resident, number, event.location, ctx.now)
    ctx.end()
    ctx.say(_("Location added to #{number}. Thank you!").format(number=number))


async def judge_fix(ctx: Context, args: list[str]) -> None:
    """ "Is it fixed?" answered: yes asks for a rating, no asks what is still wrong."""
    _ = ctx._
    found = await _pressed_on_mine(ctx, args, ("y", "n"))
    if found is None:
        return
    number = found.id
    if found.resolved_at is None or found.rating is not None:
        ctx.say(
            _("Thank you, your answer about #{number} was taken already.").format(number=number)
        )
        return
    if args[1] == "y":
        ctx.say(
            _("Glad it is fixed! How well did the ward handle #{number}?").format(number=number),
            [Choice("⭐" * stars, f"rrate:{number}:{stars}") for stars in range(5, 0, -1)],
        )
        return
    ctx.begin(REOPEN, "note", report=number)
    ctx.say(
        _("Sorry to hear that. What is still wrong? I will open #{number} again.").format(
            number=number
        )
    )


async def reopen(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    number = int(str(ctx.dialogue.data["report"]))
    ctx.end()
    try:
        await triage.reopen(ctx.uow, ctx.resident, number, event.text, ctx.now, ctx.triage)
    except (ReportNotFound, MoveNotAllowed):
        ctx.say(_("#{number} cannot be opened again now.").format(number=number))
        return
    ctx.say(_("#{number} is open again; the ward's officers are told.").format(number=number))


async def rate(ctx: Context, args: list[str]) -> None:
    _ = ctx._
    number = parse_number(args[0]) if len(args) == 2 else None
    if number is None or args[1] not in {"1", "2", "3", "4", "5"}:
        await out_of_date(ctx, args)
        return
    try:
        await triage.rate(ctx.uow, ctx.resident, number, int(args[1]), ctx.now)
    except (ReportNotFound, MoveNotAllowed):
        await out_of_date(ctx, args)
        return
    ctx.say(_("Thank you for rating! Your answer counts in the ward's figures (/indicators)."))


async def _pressed_on_mine(
    ctx: Context, args: list[str], answers: tuple[str, ...]
) -> Report | None:
    """The resident's own report a `<prefix>:<number>:<answer>` button is about; anything
    else, someone else's report included, is answered as out of date."""
    number = parse_number(args[0]) if len(args) == 2 else None
    if number is None or args[1] not in answers:
        await out_of_date(ctx, args)
        return None
    try:
        return await triage.mine(ctx.uow, ctx.resident, number)
    except ReportNotFound:
        await out_of_date(ctx, args)
        return None


async def _may_file(ctx: Context) -> bool:
    try:
        await triage.may_file(ctx.uow, ctx.resident, ctx.now, ctx.triage.policy)
    except TooManyReports as refused:
        _ = ctx._
        ctx.say(
            ctx.ngettext(
                "You have filed {count} report in the last hour, as many as one hour allows. "
                "Please try again a little later.",
                "You have filed {count} reports in the last hour, as many as one hour allows. "
                "Please try again a little later.",
                refused.per_hour,
            ).format(count=refused.per_hour)
        )
        return False
    return True


async def _quick(ctx: Context, args: str) -> None:
    _ = ctx._
    word, _space, description = args.partition(" ")
    category = CATEGORY_WORDS.get(search.fold(word).replace(" ", ""))
    if category is None or not description.strip():
        ctx.say(
            _(
                "Write it so: /report <category> <what is wrong>, e.g. /report lighting the lamp "
                "at number 12 is out. Categories: litter, lighting, drainage, road, other. "
                "Or send /report alone and I will ask step by step."
            )
        )
        return
    data: dict[str, object] = {"category": category.value, "description": description.strip()}
    mine = await ctx.uow.subscriptions.of_resident(ctx.resident.id)
    if not mine:
        ctx.begin(DIALOGUE, "where", quick=True, **data)
        await _ask_where(ctx)
        return
    alley = mine[0].alley
    data.update(alley=alley.code, ward=alley.ward.id, place=alley_name(alley))
    await _file(ctx, data)


async def _ask_where(ctx: Context) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    ctx.dialogue.step = "where"
    ctx.say(
        _(
            "Where is it? Share a location (attach → Location), pick one of your alleys, "
            "or type the name of the alley."
        ),
        await _my_alley_choices(ctx),
    )


async def _my_alley_choices(ctx: Context) -> list[Choice]:
    mine = await ctx.uow.subscriptions.of_resident(ctx.resident.id)
    return [Choice(alley_name(s.alley), f"rwhere:{s.alley.code}") for s in mine]


async def _place_known(ctx: Context, alley: Alley) -> None:
    assert ctx.dialogue is not None
    ctx.dialogue.data.update(alley=alley.code, ward=alley.ward.id, place=alley_name(alley))
    if ctx.dialogue.data.get("quick"):
        await _file(ctx, ctx.dialogue.data)
        return
    _ask_anonymous(ctx)


def _ask_anonymous(ctx: Context) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    ctx.dialogue.step = "anonymous"
    ctx.say(
        _("Should the ward's officers see your name, so they can contact you?"),
        [
            Choice(_("Yes, show my name"), "ranon:n"),
            Choice(_("No, file it anonymously"), "ranon:y"),
        ],
    )


async def _file(ctx: Context, data: dict[str, object]) -> None:
    _ = ctx._
    alley = await ctx.uow.alleys.by_code(str(data["alley"]))
    location = _list(data.get("location"))
    collection = data.get("collection")
    draft = Draft(
        category=Category(str(data["category"])),
        description=str(data["description"]),
        ward_id=alley.ward.id if alley else int(str(data["ward"])),
        alley_id=alley.id if alley else None,
        anonymous=bool(data.get("anonymous", False)),
        location=(float(str(location[0])), float(str(location[1]))) if location else None,
        collection_at=datetime.fromisoformat(str(collection)) if collection else None,
        photos=tuple(str(p) for p in _list(data.get("photos"))),
    )
    ctx.end()
    try:
        filed = await triage.file_report(ctx.uow, ctx.resident, draft, ctx.now, ctx.triage)
    except TooManyReports:
        await _may_file(ctx)
        return
    _thank(ctx, filed, quick=bool(data.get("quick")) or "anonymous" not in data)


def _thank(ctx: Context, filed: Report, quick: bool) -> None:
    _ = ctx._
    text = _(
        "Thank you! Your report is #{number}. The ward's officers are told; I will write "
        "to you when its state changes. /myreports lists your reports."
    ).format(number=filed.id)
    if not quick:
        ctx.say(text)
        return
    ctx.say(
        text,
        [
            Choice(_("Add a photo"), f"radd:{filed.id}:photo"),
            Choice(_("Add the location"), f"radd:{filed.id}:where"),
        ],
    )


def _photo_fits(ctx: Context, event: Incoming, choices: list[Choice]) -> bool:
    """Refuse, kindly, what is not a photo or is too big; the report is kept either way."""
    _ = ctx._
    if event.kind is Kind.TEXT:
        if choices:
            ctx.say(_("Please send a photo, or press Next."), choices)
        else:
            ctx.say(_("Please send a photo, or /cancel when you are done."))
        return False
    if event.kind is not Kind.PHOTO or event.photo is None:
        ctx.say(_("I can only take photos (JPEG or PNG). Your report is kept."), choices)
        return False
    limit = ctx.triage.policy.max_photo_bytes
    if event.photo.size is not None and event.photo.size > limit:
        ctx.say(
            _(
                "That photo is too large (over {mb} MB); send a smaller one. Your report is kept."
            ).format(mb=limit // (1024 * 1024)),
            choices,
        )
        return False
    return True


def _category_choices(ctx: Context) -> list[Choice]:
    _ = ctx._
    return [Choice(_(name), f"rcat:{category.value}") for category, name in CATEGORY_NAMES.items()]


def _collection_at(minute: int, alley: Alley | None) -> datetime | None:
    """The collection a bell's button names, in Unix minutes, as the ward's time."""
    if alley is None:
        return None
    return datetime.fromtimestamp(minute * 60, ZoneInfo(alley.ward.timezone))


def _in_dialogue(ctx: Context, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (DIALOGUE, step)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
