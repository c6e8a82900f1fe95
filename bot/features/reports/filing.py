"""Filing a report: the guided /report, the quick `/report <category> <description>`, and the
report a bell's "missed collection" button starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat.context import Context
from bot.chat.dialogue import StaleDialogue
from bot.chat.events import Incoming, Kind
from bot.chat.plain import echoed, parse_number
from bot.chat.render import alley_name
from bot.chat.replies import Choice
from bot.features.general.handlers import CANCEL, out_of_date
from bot.features.reports.attachments import photo_fits
from bot.features.reports.cards import CATEGORY_NAMES
from bot.features.reports.following import add_more_buttons
from core import limits, search, subscriptions, triage, wards
from core.errors import TooManyReports
from core.model import Alley
from core.reports import Category, Report
from core.triage import Draft

DIALOGUE = "report"
NEAR_METRES = 300  # a pin this close to a known alley is taken to be in it
# Button prefixes, kept as they are: buttons already in residents' chats still carry them.
PICK_CATEGORY = "rcat"
PHOTOS_DONE = "rnext"
PICK_ALLEY = "rwhere"
PICK_ANONYMOUS = "ranon"
SEND = "rsend"
FROM_BELL = "rbell"
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


@dataclass
class ReportDraft:
    """The report being written, as much of it as the resident has told so far."""

    category: Category | None = None
    description: str = ""
    photos: list[str] = field(default_factory=list)
    alley: str | None = None  # the alley's code, once the place is known
    ward: int | None = None
    place: str = ""
    location: tuple[float, float] | None = None
    collection: datetime | None = None  # the collection a bell's button is about
    anonymous: bool | None = None  # None: not asked (a quick report is never asked)
    quick: bool = False  # `/report <category> <description>`: filed once the place is known

    def chosen_category(self) -> Category:
        if self.category is None:
            raise StaleDialogue("ReportDraft: no category was picked")
        return self.category


async def report(ctx: Context, event: Incoming) -> None:
    """`/report` asks step by step; `/report <category> <description>` files at once."""
    if not await _may_file(ctx):
        return
    if event.args:
        await _quick(ctx, event.args)
        return
    _ = ctx._
    ctx.begin(DIALOGUE, "category", ReportDraft())
    ctx.say(_("What is wrong? Pick a category:"), _category_choices(ctx))


async def pick_category(ctx: Context, args: list[str]) -> None:
    _ = ctx._
    if not _in_dialogue(ctx, "category") or len(args) != 1 or args[0] not in set(Category):
        await out_of_date(ctx, args)
        return
    draft = ctx.data(ReportDraft)
    draft.category = Category(args[0])
    ctx.keep(draft, step="description")
    ctx.say(_("Describe it in a few words: what, where exactly, since when."))


async def describe(ctx: Context, event: Incoming) -> None:
    _ = ctx._
    draft = ctx.data(ReportDraft)
    draft.description = limits.bounded(event.text, limits.DESCRIPTION)
    ctx.keep(draft, step="photos")
    choices = _next_choices(ctx)
    how = ctx.pressing(choices, choices[0].label)
    ctx.say(_("Send one or more photos if you can, then {how}.").format(how=how), choices)


async def add_photo(ctx: Context, event: Incoming) -> None:
    """Collect photos of the report being written; anything else gets a hint."""
    draft = ctx.data(ReportDraft)
    next_step = _next_choices(ctx)
    if not photo_fits(ctx, event, next_step):
        return
    assert event.photo is not None
    _ = ctx._
    if len(draft.photos) >= limits.PHOTOS:
        ctx.say(
            _("A report takes at most {count} photos; that one was not added. Press Next.").format(
                count=limits.PHOTOS
            ),
            next_step,
        )
        return
    draft.photos.append(event.photo.ref)
    ctx.keep(draft)
    if len(draft.photos) == limits.PHOTOS:
        ctx.say(
            _("{count} photos added, as many as a report takes. Press Next.").format(
                count=limits.PHOTOS
            ),
            next_step,
        )
        return
    ctx.say(
        ctx.ngettext(
            "{count} photo added. Send more, or {how}.",
            "{count} photos added. Send more, or {how}.",
            len(draft.photos),
        ).format(count=len(draft.photos), how=ctx.pressing(next_step, next_step[0].label)),
        next_step,
    )


async def photos_done(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "photos"):
        await out_of_date(ctx, args)
        return
    draft = ctx.data(ReportDraft)
    if draft.alley is not None:  # it came from a bell: the place is known
        _ask_anonymous(ctx, draft)
        return
    await _ask_where(ctx, draft)


async def where_pin(ctx: Context, event: Incoming) -> None:
    """A pin, or the words of an alley's name, says where the problem is."""
    _ = ctx._
    draft = ctx.data(ReportDraft)
    if event.kind is Kind.TEXT:
        found = await subscriptions.find_alleys(ctx.uow, event.text)
        if not found:
            ctx.say(
                _(
                    "I found no alley matching “{query}”. Try other words, or share a location."
                ).format(query=echoed(event.text))
            )
            return
        ctx.say(
            _("Which one?"),
            [Choice(alley_name(alley), f"{PICK_ALLEY}:{alley.code}") for alley in found],
        )
        return
    assert event.location is not None
    alley = await wards.nearest_alley(ctx.uow, event.location, NEAR_METRES)
    draft.location = event.location
    if alley is None:
        ctx.keep(draft)
        ctx.say(
            _("Thank you. Which alley is it in, or nearest to? Type its name or pick one:"),
            await _my_alley_choices(ctx),
        )
        return
    await _place_known(ctx, draft, alley)


async def where_alley(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "where") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    alley = await wards.alley_of_code(ctx.uow, args[0])
    if alley is None:
        await out_of_date(ctx, args)
        return
    await _place_known(ctx, ctx.data(ReportDraft), alley)


async def pick_anonymous(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "anonymous") or args not in (["y"], ["n"]):
        await out_of_date(ctx, args)
        return
    draft = ctx.data(ReportDraft)
    draft.anonymous = args == ["y"]
    ctx.keep(draft, step="confirm")
    _ = ctx._
    photos = len(draft.photos)
    lines = [
        _("Please check your report:"),
        _("Category: {category}").format(category=_(CATEGORY_NAMES[draft.chosen_category()])),
        _("Where: {place}").format(place=draft.place),
        draft.description,
        ctx.ngettext("{count} photo", "{count} photos", photos).format(count=photos),
        _("Anonymous: the ward's officers will not see who you are.")
        if draft.anonymous
        else _("With your name: the ward's officers may contact you."),
    ]
    ctx.say(
        "\n".join(lines),
        [Choice(_("Send the report"), SEND), Choice(_("Cancel"), CANCEL)],
    )


async def send(ctx: Context, args: list[str]) -> None:
    if not _in_dialogue(ctx, "confirm"):
        await out_of_date(ctx, args)
        return
    await _file(ctx, ctx.data(ReportDraft))


async def from_bell(ctx: Context, args: list[str]) -> None:
    """The bell's "missed collection / litter here" button: a report about that collection."""
    _ = ctx._
    minute = parse_number(args[1]) if len(args) == 2 else None
    alley = await wards.alley_of_code(ctx.uow, args[0]) if minute is not None else None
    collection = _collection_at(minute, alley) if minute is not None else None
    if alley is None or collection is None:
        await out_of_date(ctx, args)
        return
    if not await _may_file(ctx):
        return
    draft = ReportDraft(
        category=Category.LITTER,
        alley=alley.code,
        ward=alley.ward.id,
        place=alley_name(alley),
        collection=collection,
    )
    ctx.begin(DIALOGUE, "description", draft)
    ctx.say(
        _(
            "A report about {alley}, collection of {time}. What happened? "
            "(the truck did not come, garbage left on the street, …)"
        ).format(alley=alley.name, time=collection.strftime("%d/%m %H:%M"))
    )


async def _may_file(ctx: Context) -> bool:
    try:
        await triage.may_file(ctx.uow, ctx.resident, ctx.now, ctx.triage.policy)
    except TooManyReports as refused:
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
    draft = ReportDraft(
        category=category,
        description=limits.bounded(description.strip(), limits.DESCRIPTION),
        quick=True,
    )
    mine = await subscriptions.subscriptions_of(ctx.uow, ctx.resident.id)
    if not mine:
        ctx.begin(DIALOGUE, "where", draft)
        await _ask_where(ctx, draft)
        return
    alley = mine[0].alley
    draft.alley, draft.ward, draft.place = alley.code, alley.ward.id, alley_name(alley)
    await _file(ctx, draft)


async def _ask_where(ctx: Context, draft: ReportDraft) -> None:
    _ = ctx._
    ctx.keep(draft, step="where")
    ctx.say(
        _(
            "Where is it? Share a location (attach → Location), pick one of your alleys, "
            "or type the name of the alley."
        ),
        await _my_alley_choices(ctx),
    )


async def _my_alley_choices(ctx: Context) -> list[Choice]:
    mine = await subscriptions.subscriptions_of(ctx.uow, ctx.resident.id)
    return [Choice(alley_name(s.alley), f"{PICK_ALLEY}:{s.alley.code}") for s in mine]


async def _place_known(ctx: Context, draft: ReportDraft, alley: Alley) -> None:
    draft.alley, draft.ward, draft.place = alley.code, alley.ward.id, alley_name(alley)
    if draft.quick:
        await _file(ctx, draft)
        return
    _ask_anonymous(ctx, draft)


def _ask_anonymous(ctx: Context, draft: ReportDraft) -> None:
    _ = ctx._
    ctx.keep(draft, step="anonymous")
    ctx.say(
        _("Should the ward's officers see your name, so they can contact you?"),
        [
            Choice(_("Yes, show my name"), f"{PICK_ANONYMOUS}:n"),
            Choice(_("No, file it anonymously"), f"{PICK_ANONYMOUS}:y"),
        ],
    )


async def _file(ctx: Context, draft: ReportDraft) -> None:
    if draft.alley is None:
        raise StaleDialogue("ReportDraft: the place is not known")
    alley = await wards.alley_of_code(ctx.uow, draft.alley)
    if alley is None and draft.ward is None:
        raise StaleDialogue("ReportDraft: neither the alley nor the ward is known")
    ward_id = alley.ward.id if alley else draft.ward
    assert ward_id is not None
    filing = Draft(
        category=draft.chosen_category(),
        description=draft.description,
        ward_id=ward_id,
        alley_id=alley.id if alley else None,
        anonymous=bool(draft.anonymous),
        location=draft.location,
        collection_at=draft.collection,
        photos=tuple(draft.photos),
    )
    ctx.end()
    try:
        filed = await triage.file_report(ctx.uow, ctx.resident, filing, ctx.now, ctx.triage)
    except TooManyReports:
        await _may_file(ctx)
        return
    _thank(ctx, filed, quick=draft.quick or draft.anonymous is None)


def _thank(ctx: Context, filed: Report, quick: bool) -> None:
    _ = ctx._
    text = _(
        "Thank you! Your report is #{number}. The ward's officers are told; I will write "
        "to you when its state changes. /myreports lists your reports."
    ).format(number=filed.id)
    if quick and not filed.anonymous:
        # A quick report asks nothing: say whose name it carries, and how to take it off.
        text += "\n" + _(
            "It was filed with your name, so the officers may contact you; press "
            "“Make it anonymous” if they should not know who you are."
        )
    ctx.say(text, add_more_buttons(_, filed.id, named=not filed.anonymous) if quick else [])


def _next_choices(ctx: Context) -> list[Choice]:
    _ = ctx._
    return [Choice(_("Next"), PHOTOS_DONE), Choice(_("Cancel"), CANCEL)]


def _category_choices(ctx: Context) -> list[Choice]:
    _ = ctx._
    return [
        Choice(_(name), f"{PICK_CATEGORY}:{category.value}")
        for category, name in CATEGORY_NAMES.items()
    ]


def _collection_at(minute: int, alley: Alley | None) -> datetime | None:
    """The collection a bell's button names, in Unix minutes, as the ward's time."""
    if alley is None:
        return None
    return datetime.fromtimestamp(minute * 60, ZoneInfo(alley.ward.timezone))


def _in_dialogue(ctx: Context, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (DIALOGUE, step)
