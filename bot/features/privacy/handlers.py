"""A resident's rights: what is kept about them (/privacy), erasing it (/deleteme), and their
settings in one place (/settings)."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.replies import Choice
from bot.features.announcements.mute import MUTE, MUTE_OFF, MUTE_ON
from bot.features.bell.subscriptions import ASK_LEAD
from bot.features.general.handlers import LANGUAGE_NAMES, ask_language, out_of_date
from core import announcements, privacy, subscriptions

FORGET = "forget"  # "forget:yes" erases, "forget:no" keeps
YES = "yes"
NO = "no"
LANGUAGE_MENU = "langmenu"


async def explain_privacy(ctx: Context, event: Incoming) -> None:
    """Say what is kept about the resident, why, for how long, and who sees it."""
    _ = ctx._
    ctx.say(
        "\n".join(
            (
                _("What Urban Bell keeps about you, and why:"),
                _(
                    "• Your chat id, the name your app shows and your language: to answer you. "
                    "The alleys you follow and your reminder times: to ring the bell."
                ),
                _(
                    "• Your reports (text, photos, place) and, if you share it, your phone: so "
                    "the ward's officers can fix what you report. Only the officers of that "
                    "ward see them; public figures show counts only, never names."
                ),
                _(
                    "• Your offers of help and sign-ups to volunteer calls: for your ward's "
                    "organisers."
                ),
                _(
                    "It is kept while you use the bot and is never sold or given outside the "
                    "ward. Send /deleteme to erase it at any time: your reports then stay for "
                    "the ward's figures, without your name, phone, text, photos or place."
                ),
                _("Send /settings to change your language, reminder times and announcements."),
            )
        )
    )


async def ask_to_erase(ctx: Context, event: Incoming) -> None:
    """Say what erasing removes, and ask to confirm."""
    _ = ctx._
    ctx.say(
        _(
            "This erases your name, phone, the alleys you follow, your offers of help, our "
            "conversation and the messages waiting for you. Your reports stay for the ward's "
            "figures, without anything that names you. It cannot be undone."
        ),
        [
            Choice(_("Erase my data"), f"{FORGET}:{YES}"),
            Choice(_("Keep my data"), f"{FORGET}:{NO}"),
        ],
    )


async def erase(ctx: Context, args: list[str]) -> None:
    """Erase the resident's personal data once they confirm; the officers are told nothing."""
    _ = ctx._
    if args == [NO]:
        ctx.say(_("Nothing was erased."))
        return
    if args != [YES]:
        await out_of_date(ctx, args)
        return
    await privacy.erase_me(ctx.uow, ctx.resident.id)
    ctx.end()
    ctx.erased = True
    ctx.say(
        _("Done: what I kept about you is erased. If you write to me again, I will start afresh.")
    )


async def show_settings(ctx: Context, event: Incoming) -> None:
    """Show the resident's language, reminder times and announcements, each with its button."""
    _ = ctx._
    lines = [_("Your settings:")]
    lines.append(_("• Language: {language}").format(language=LANGUAGE_NAMES[ctx.language]))
    choices = [Choice(_("Change the language"), LANGUAGE_MENU)]
    mine = await subscriptions.followed(ctx.uow, ctx.resident.id, ctx.now, ctx.holidays)
    for subscription, _upcoming in mine:
        lines.append(
            _("• {alley}: the bell rings {lead} minutes before the truck.").format(
                alley=subscription.alley.name, lead=subscription.lead_minutes
            )
        )
        choices.append(
            Choice(
                _("Reminder time: {alley}").format(alley=subscription.alley.name),
                f"{ASK_LEAD}:{subscription.id}",
            )
        )
    if not mine:
        lines.append(_("• You follow no alley yet: send /subscribe to find yours."))
    if await announcements.muted(ctx.uow, ctx.resident.id):
        lines.append(_("• Announcements from the ward: off"))
        choices.append(Choice(_("Turn announcements on"), f"{MUTE}:{MUTE_OFF}"))
    else:
        lines.append(_("• Announcements from the ward: on"))
        choices.append(Choice(_("Mute announcements"), f"{MUTE}:{MUTE_ON}"))
    ctx.say("\n".join(lines), choices)


async def language_menu(ctx: Context, args: list[str]) -> None:
    """The settings' "Change the language" button."""
    await ask_language(ctx, None)
