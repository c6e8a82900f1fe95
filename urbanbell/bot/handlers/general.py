"""Help, language, cancel, and kind answers to whatever the bot did not expect."""

from __future__ import annotations

from urbanbell.bot.context import Context
from urbanbell.bot.events import Incoming
from urbanbell.bot.handlers.schedule import DAYS as SCHEDULE_DAYS
from urbanbell.bot.render import ROLE_NAMES
from urbanbell.bot.replies import Choice
from urbanbell.core import residents
from urbanbell.core.errors import UnsupportedLanguage
from urbanbell.core.mobilisation import MAY_ANNOUNCE, MAY_ORGANISE
from urbanbell.core.model import Role
from urbanbell.core.reports import MAY_TRIAGE
from urbanbell.core.schedule_changes import MAY_CHANGE_CALENDAR

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


async def show_help(ctx: Context, event: Incoming | None) -> None:
    """List what the bot can do, and the person's roles in wards."""
    _ = ctx._
    lines = [
        _("Here is what I can do:"),
        _("/subscribe: follow an alley and hear the bell before the truck comes"),
        _("/mine: the alleys you follow and your reminder times"),
        _("/schedule: collections in the next {days} days").format(days=SCHEDULE_DAYS),
        _("/calendar: your alleys' collections as a file for your phone's calendar"),
        _("/unsubscribe: stop following an alley"),
        _("/report: tell the ward about litter, a dark street, a blocked drain, a broken road"),
        _("/myreports: your reports and what became of them"),
        _("/indicators: how the ward is doing on reports, in figures"),
        _("/volunteer: volunteer calls near you, and offering your help"),
        _("/mute: switch the ward's announcements off or on (the bell keeps ringing)"),
        _("/language: Tiếng Việt or English"),
        _("/cancel: stop what we are doing"),
        _("/help: this list"),
    ]
    officers = await ctx.officers()
    if any(o.role in MAY_CHANGE_CALENDAR for o in officers):
        lines.append(_("/skip <alley> <YYYY-MM-DD>: no collection in an alley that day"))
        lines.append(
            _("/move <alley> <YYYY-MM-DD> <YYYY-MM-DD HH:MM>: move that day's collection")
        )
        lines.append(_("/linkgroup <alley>: in a group chat, let the alley's bell ring there"))
    if any(o.role in MAY_TRIAGE for o in officers):
        lines.append(_("/inbox [filters]: open reports of your ward, the most pressing first"))
        lines.append(_("/show <number>: one report with its photos, place and history"))
        lines.append(_("/status <number> <state> [note]: move a report on"))
        lines.append(_("/reply <number> <text>: write to the reporter"))
        lines.append(_("/note <number> <text>: a note only officers see"))
        lines.append(_("/stats [period]: the ward's figures, with a chart"))
        lines.append(_("/export [period]: the period's reports and their history as CSV"))
    if any(o.role is Role.ADMIN for o in officers):
        lines.append(_("/linkofficers: in your officers' group, receive new reports there"))
    if any(o.role in MAY_ANNOUNCE for o in officers):
        lines.append(_("/announce: a message to alleys' followers or the whole ward"))
    if any(o.role in MAY_ORGANISE for o in officers):
        lines.append(_("/newcall: call for volunteers, step by step"))
        lines.append(_("/calls: your calls, who signed up, notes to them, closing with results"))
        lines.append(_("/offers: residents' offers of help, to invite them"))
    for officer in officers:
        lines.append(
            _("Your role in {ward}: {role}.").format(
                role=_(ROLE_NAMES[officer.role]), ward=officer.ward.name
            )
        )
    ctx.say("\n".join(lines))


async def help_choice(ctx: Context, _args: list[str]) -> None:
    """The "What can you do?" button."""
    await show_help(ctx, None)


LANGUAGE = "language"


async def ask_language(ctx: Context, event: Incoming) -> None:
    """Offer the languages the bot speaks."""
    _ = ctx._
    choices = [Choice(name, f"lang:{code}") for code, name in LANGUAGE_NAMES.items()]
    ctx.begin(LANGUAGE, "pick")  # a question: text that picks neither gets the options again
    ctx.say(_("Which language should I speak?"), choices)


async def set_language(ctx: Context, args: list[str]) -> None:
    """Save the language picked and answer in it."""
    language = args[0] if len(args) == 1 else ""
    try:
        await residents.choose_language(
            ctx.uow, ctx.resident.id, language, ctx.catalogues.languages
        )
    except UnsupportedLanguage:
        await out_of_date(ctx, args)
        return
    ctx.language = language
    if ctx.dialogue is not None and ctx.dialogue.name == LANGUAGE:
        ctx.end()
    ctx.say(ctx._("From now on I will speak English with you."))


async def cancel(ctx: Context, event: Incoming) -> None:
    """Leave the dialogue in progress, if any."""
    await cancel_choice(ctx, [])


async def cancel_choice(ctx: Context, _args: list[str]) -> None:
    """The "never mind" button."""
    _ = ctx._
    stopped = ctx.dialogue or ctx.interrupted
    ctx.end()
    if stopped is not None:
        ctx.say(_("Stopped; nothing was changed. Send /help to see what I can do."))
    else:
        ctx.say(_("There is nothing to stop. Send /help to see what I can do."))


async def unknown_command(ctx: Context, event: Incoming) -> None:
    """Answer a command the bot does not know."""
    _ = ctx._
    ctx.say(
        _("I do not know the command /{command}. Send /help to see what I can do.").format(
            command=event.command
        )
    )


async def free_text(ctx: Context, event: Incoming) -> None:
    """Answer text sent outside any dialogue."""
    _ = ctx._
    ctx.say(
        _(
            "To follow your alley, send /subscribe and its name (for example: /subscribe hem 51). "
            "Send /help to see everything I can do."
        )
    )


async def not_allowed(ctx: Context, event: Incoming) -> None:
    """Refuse a command that needs a ward role the person does not have."""
    _ = ctx._
    ctx.say(_("Only the ward's officers can use /{command}.").format(command=event.command))


async def unexpected(ctx: Context, event: Incoming) -> None:
    """Answer a location, photo, contact or sticker that nothing asked for."""
    _ = ctx._
    ctx.say(_("I cannot use that here. Send /help to see what I can do."))


async def not_a_choice(ctx: Context, event: Incoming) -> None:
    """Offer the options again when the answer is none of them."""
    _ = ctx._
    ctx.say(_("Please answer with the number of one of these options:"), ctx.offered)


async def out_of_date(ctx: Context, _args: list[str]) -> None:
    """Answer a button that is stale, someone else's or forged; nothing changes."""
    _ = ctx._
    ctx.say(
        _("That button is out of date, so nothing was changed. Send /help to see what I can do.")
    )
