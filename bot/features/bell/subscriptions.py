"""Following alleys: /start with a code, /subscribe by words or by ward, /mine, /unsubscribe."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.plain import echoed, is_number
from bot.chat.render import alley_name, next_collection
from bot.chat.replies import Choice
from bot.features.bell.bells import bells_choices, bells_line
from bot.features.general.handlers import CANCEL, HELP, free_text, not_a_choice, out_of_date
from core import subscriptions, wards
from core.errors import AlleyNotFound, InvalidLeadTime, SubscriptionNotFound, WardNotFound
from core.model import LEAD_TIMES, Alley

PAGE = 8
SEARCH = "subscribe"
ALLEY_CODE = re.compile(r"[A-Za-z0-9_-]{1,48}")
# Button prefixes, kept as they are: buttons already in residents' chats still carry them.
FIND = "find"
FIND_MORE = "findmore"
WARDS = "wards"
WARD = "ward"
FOLLOW = "sub"
ASK_LEAD = "leadmenu"
SET_LEAD = "lead"
ASK_UNSUBSCRIBE = "unsubmenu"
UNSUBSCRIBE = "unsub"


async def start(ctx: Context, event: Incoming) -> None:
    """Greet the resident; with an alley code (a deep link), follow that alley at once."""
    _ = ctx._
    if event.args:
        await _follow(ctx, event.args.split()[0])
        return
    ctx.say(
        _greeting(ctx) + "\n\n" + _("Find your alley to begin:"),
        [Choice(_("Find my alley"), FIND), Choice(_("What can you do?"), HELP)],
    )


@dataclass
class Search:
    """The words of the alley search under way, for its next page."""

    query: str = ""


async def subscribe(ctx: Context, event: Incoming) -> None:
    """Search alleys by the words given, or ask for them."""
    if event.args:
        ctx.begin(SEARCH, "search")
        await _search(ctx, event.args)
    else:
        await ask_for_alley(ctx, [])


async def ask_for_alley(ctx: Context, _args: list[str]) -> None:
    """Ask for the alley's name, offering the wards to pick from."""
    _ = ctx._
    ctx.begin(SEARCH, "search")
    ctx.say(
        _(
            "Type the name of your alley, with or without accents "
            "(for example: hem 51 3 thang 2), or pick your ward:"
        ),
        await _ward_choices(ctx),
    )


async def search_typed(ctx: Context, event: Incoming) -> None:
    """Follow the alley whose code was typed, else search for the words; they may type again."""
    alley = await _alley_of_code(ctx, event.text)
    if alley is not None:
        await _follow(ctx, alley.code)
        return
    await _search(ctx, event.text)


async def typed_outside_dialogue(ctx: Context, event: Incoming) -> None:
    """Follow the alley whose code was typed, as its poster shows it; greet a newcomer.

    On Zalo there is no deep link and no /start: a resident's first message is whatever they
    type, so a newcomer is greeted and asked for the code on their alley's poster. Text that
    answers none of the options standing gets them again; officers are never newcomers.
    """
    _ = ctx._
    alley = await _alley_of_code(ctx, event.text)
    if alley is not None:
        await _follow(ctx, alley.code)
        return
    if ctx.offered:
        # They were answering the message on their screen: say how, not hello.
        await not_a_choice(ctx, event)
        return
    if await ctx.officers() or await subscriptions.subscriptions_of(ctx.uow, ctx.resident.id):
        await free_text(ctx, event)
        return
    ctx.begin(SEARCH, "search")
    ctx.say(
        _greeting(ctx)
        + "\n\n"
        + _(
            "Send me the code printed on your alley's bell poster (for example: nk-hem-51), "
            "or type your alley's name, or pick your ward:"
        ),
        await _ward_choices(ctx),
    )


async def pick_ward(ctx: Context, args: list[str]) -> None:
    """Show one page of a ward's alleys."""
    _ = ctx._
    if len(args) != 2 or not is_number(args[1]):
        await out_of_date(ctx, args)
        return
    try:
        ward, alleys = await wards.alleys_of_ward(ctx.uow, args[0])
    except WardNotFound:
        await out_of_date(ctx, args)
        return
    page = int(args[1])
    shown = alleys[page * PAGE : (page + 1) * PAGE]
    choices = [Choice(alley.name, f"{FOLLOW}:{alley.code}") for alley in shown]
    if len(alleys) > (page + 1) * PAGE:
        choices.append(Choice(_("More…"), f"{WARD}:{ward.code}:{page + 1}"))
    choices.append(Choice(_("Other wards"), WARDS))
    ctx.begin(SEARCH, "search")
    if not shown:
        ctx.say(_("{ward} has no alleys on the list yet.").format(ward=ward.name), choices)
        return
    ctx.say(_("Alleys of {ward}; pick yours:").format(ward=ward.name), choices)


async def list_wards(ctx: Context, _args: list[str]) -> None:
    """Offer the wards again."""
    await ask_for_alley(ctx, [])


async def follow(ctx: Context, args: list[str]) -> None:
    """Follow the alley on the button."""
    if len(args) != 1 or not args[0]:
        await out_of_date(ctx, args)
        return
    await _follow(ctx, args[0])


async def show_mine(ctx: Context, event: Incoming) -> None:
    """List the alleys the resident follows, with lead times and next collections."""
    _ = ctx._
    mine = await subscriptions.followed(ctx.uow, ctx.resident.id, ctx.now, ctx.holidays)
    if not mine:
        ctx.say(_("You follow no alley yet. Send /subscribe to find yours."))
        return
    lines = [_("Your alleys:")]
    choices = []
    for subscription, upcoming in mine:
        lines.append(
            _("• {alley}: {bells} {next}").format(
                alley=alley_name(subscription.alley),
                bells=bells_line(ctx, subscription),
                next=next_collection(ctx, upcoming),
            )
        )
        choices.append(
            Choice(
                _("Reminder time: {alley}").format(alley=subscription.alley.name),
                f"{ASK_LEAD}:{subscription.id}",
            )
        )
    choices.append(Choice(_("Stop following an alley"), ASK_UNSUBSCRIBE))
    ctx.say("\n".join(lines), choices)


async def ask_lead(ctx: Context, args: list[str]) -> None:
    """Ask how many minutes before the truck the bell should ring for one subscription."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        subscription = await subscriptions.subscription_of(ctx.uow, ctx.resident.id, int(args[0]))
    except SubscriptionNotFound:
        await out_of_date(ctx, args)
        return
    ctx.say(
        _("How many minutes before the truck reaches {alley} should I ring?").format(
            alley=subscription.alley.name
        ),
        lead_choices(ctx, subscription.id) + bells_choices(ctx, subscription),
    )


async def set_lead(ctx: Context, args: list[str]) -> None:
    """Save the lead time picked for a subscription."""
    _ = ctx._
    if len(args) != 2 or not all(is_number(a) for a in args):
        await out_of_date(ctx, args)
        return
    try:
        subscription = await subscriptions.set_lead_time(
            ctx.uow, ctx.resident.id, int(args[0]), int(args[1])
        )
    except (SubscriptionNotFound, InvalidLeadTime):
        await out_of_date(ctx, args)
        return
    ctx.say(
        _("Done: I will ring {lead} minutes before the truck reaches {alley}.").format(
            lead=subscription.lead_minutes, alley=subscription.alley.name
        )
    )


async def unsubscribe(ctx: Context, event: Incoming) -> None:
    """Offer the alleys the resident follows, to stop following one."""
    await ask_unsubscribe(ctx, [])


async def ask_unsubscribe(ctx: Context, _args: list[str]) -> None:
    """Ask which alley to stop following."""
    _ = ctx._
    mine = await subscriptions.subscriptions_of(ctx.uow, ctx.resident.id)
    if not mine:
        ctx.say(_("You follow no alley yet. Send /subscribe to find yours."))
        return
    choices = [Choice(s.alley.name, f"{UNSUBSCRIBE}:{s.id}") for s in mine]
    choices.append(Choice(_("Keep them all"), CANCEL))
    ctx.say(_("Which alley should I stop ringing for?"), choices)


async def stop_following(ctx: Context, args: list[str]) -> None:
    """Stop following the alley on the button."""
    _ = ctx._
    if len(args) != 1 or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    try:
        subscription = await subscriptions.unsubscribe(ctx.uow, ctx.resident.id, int(args[0]))
    except SubscriptionNotFound:
        await out_of_date(ctx, args)
        return
    ctx.say(
        _("You no longer follow {alley}; its bell will not ring for you.").format(
            alley=subscription.alley.name
        )
    )


async def _follow(ctx: Context, code: str) -> None:
    _ = ctx._
    try:
        done = await subscriptions.subscribe(
            ctx.uow, ctx.resident.id, code, ctx.default_lead, ctx.now, ctx.holidays
        )
    except AlleyNotFound:
        ctx.begin(SEARCH, "search")
        ctx.say(
            _("No alley has the code “{code}”. Type its name instead:").format(code=echoed(code)),
            await _ward_choices(ctx),
        )
        return
    ctx.end()
    subscription = done.subscription
    if done.already:
        first = _("You already follow {alley}; I ring {lead} minutes before each collection.")
    else:
        first = _("You now follow {alley}. I will ring {lead} minutes before each collection.")
    ctx.say(
        "\n".join(
            [
                first.format(alley=alley_name(subscription.alley), lead=subscription.lead_minutes),
                next_collection(ctx, done.next_collection),
                _("Want the bell earlier or later? Pick how many minutes before:"),
            ]
        ),
        lead_choices(ctx, subscription.id) + bells_choices(ctx, subscription),
    )


async def more_found(ctx: Context, args: list[str]) -> None:
    """The next page of the alley search under way."""
    if ctx.dialogue is None or ctx.dialogue.name != SEARCH or len(args) != 1:
        await out_of_date(ctx, args)
        return
    query = ctx.data(Search).query
    if not query or not is_number(args[0]):
        await out_of_date(ctx, args)
        return
    await _search(ctx, query, int(args[0]))


async def _search(ctx: Context, query: str, page: int = 0) -> None:
    _ = ctx._
    ctx.keep(Search(query))
    # One more than a page: whether there is a next one.
    found = await subscriptions.find_alleys(ctx.uow, query, PAGE + 1, page * PAGE)
    if not found:
        ctx.say(
            _("I found no alley matching “{query}”. Try other words, or pick your ward:").format(
                query=echoed(query)
            ),
            await _ward_choices(ctx),
        )
        return
    choices = [Choice(alley_name(alley), f"{FOLLOW}:{alley.code}") for alley in found[:PAGE]]
    if len(found) > PAGE:
        choices.append(Choice(_("More…"), f"{FIND_MORE}:{page + 1}"))
    choices.append(Choice(_("Pick from my ward's list"), WARDS))
    ctx.say(_("Alleys matching “{query}”; pick yours:").format(query=echoed(query)), choices)


def _greeting(ctx: Context) -> str:
    return ctx._(
        "Hello! I am Urban Bell, your ward's bot. I ring shortly before the garbage truck "
        "reaches your alley, so that you can bring your garbage out on time."
    )


async def _alley_of_code(ctx: Context, text: str) -> Alley | None:
    """The alley whose code is the whole text, in any letter case (phones capitalise)."""
    code = text.strip()
    if not ALLEY_CODE.fullmatch(code):
        return None
    return await wards.alley_of_typed_code(ctx.uow, code)


async def _ward_choices(ctx: Context) -> list[Choice]:
    return [Choice(ward.name, f"{WARD}:{ward.code}:0") for ward in await wards.every_ward(ctx.uow)]


def lead_choices(ctx: Context, subscription_id: int) -> list[Choice]:
    _ = ctx._
    return [
        Choice(_("{minutes} min").format(minutes=m), f"{SET_LEAD}:{subscription_id}:{m}")
        for m in LEAD_TIMES
    ]
