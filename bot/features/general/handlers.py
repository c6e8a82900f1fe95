"""Help, language, cancel, and kind answers to whatever the bot did not expect."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.render import ROLE_NAMES
from bot.chat.replies import Choice
from bot.chat.table import commands_for, help_line
from core import residents
from core.errors import UnsupportedLanguage

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
LANGUAGE = "language"
# Button prefixes, kept as they are: buttons already in residents' chats still carry them.
HELP = "help"
PICK_LANGUAGE = "lang"
CANCEL = "cancel"


async def show_help(ctx: Context, event: Incoming | None) -> None:
    """List what the person may do, from the command table, and their roles in wards."""
    _ = ctx._
    officers = await ctx.officers()
    lines = [_("Here is what I can do:")]
    lines += [help_line(c, _) for c in commands_for(ctx.features, await ctx.roles())]
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


async def ask_language(ctx: Context, event: Incoming | None) -> None:
    """Offer the languages the bot speaks."""
    _ = ctx._
    choices = [Choice(name, f"{PICK_LANGUAGE}:{code}") for code, name in LANGUAGE_NAMES.items()]
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
    if ctx.buttons:
        ctx.say(_("Please press one of these buttons:"), ctx.offered)
    else:
        ctx.say(_("Please type the number of one of these options:"), ctx.offered)


async def out_of_date(ctx: Context, _args: list[str]) -> None:
    """Answer a button that is stale, someone else's or forged; nothing changes."""
    _ = ctx._
    ctx.say(
        _("That button is out of date, so nothing was changed. Send /help to see what I can do.")
    )
