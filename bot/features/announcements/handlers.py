"""Officers' /announce to alleys or the whole ward, with a preview and a confirm step; a
resident's /mute switches announcements off or on (never the bell)."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.replies import Choice
from bot.features.audience import DONE, WHOLE_WARD, audience_choices, picked
from bot.features.calls.wording import AnnouncementWording
from bot.features.general.handlers import out_of_date
from core import announcements
from core.errors import AlleyNotFound, NobodyToTell, NotAllowed, TextTooLong
from core.mobilisation import MAX_TEXT, MAY_ANNOUNCE, Recipient
from core.model import Ward

ANNOUNCE = "announce"


async def announce(ctx: Context, event: Incoming) -> None:
    """Begin an announcement: the ward (when the officer serves several), then who hears it."""
    _ = ctx._
    wards = await _wards(ctx)
    if len(wards) == 1:
        ctx.begin(ANNOUNCE, "alleys", ward=wards[0].id, chosen=[])
        await _ask_alleys(ctx, wards[0])
        return
    ctx.begin(ANNOUNCE, "ward")
    ctx.say(_("Announce to which ward?"), [Choice(w.name, f"anw:{w.id}") for w in wards])


async def pick_ward(ctx: Context, args: list[str]) -> None:
    """The ward to announce to."""
    ward = await _ward(ctx, args[0] if len(args) == 1 else "")
    if not _at(ctx, "ward") or ward is None:
        await out_of_date(ctx, args)
        return
    ctx.begin(ANNOUNCE, "alleys", ward=ward.id, chosen=[])
    await _ask_alleys(ctx, ward)


async def pick_alleys(ctx: Context, args: list[str]) -> None:
    """Tick alleys whose followers hear it, or take the whole ward."""
    _ = ctx._
    if not _at(ctx, "alleys") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    ward = await _ward(ctx, str(ctx.dialogue.data["ward"]))
    if ward is None:
        await out_of_date(ctx, args)
        return
    chosen = [int(str(a)) for a in _list(ctx.dialogue.data.get("chosen"))]
    if args[0] == DONE and chosen:
        alleys = chosen
    else:
        found = await picked(ctx, ward.id, chosen, args[0])
        if found is None:
            await out_of_date(ctx, args)
            return
        if args[0] != WHOLE_WARD:
            ctx.dialogue.data["chosen"] = found
            await _ask_alleys(ctx, ward)
            return
        alleys = []  # the whole ward, as it is when the announcement goes
    listening, muted = await announcements.audience_size(
        ctx.uow, await ctx.officers(), ward.id, alleys
    )
    if not listening:
        ctx.say(_("No one who can hear it follows these alleys yet. Pick others:"))
        await _ask_alleys(ctx, ward)
        return
    ctx.dialogue.data["alleys"] = alleys
    ctx.dialogue.step = "text"
    ctx.say(
        ctx.ngettext(
            "It will reach {count} resident; {muted} more have muted announcements. "
            "Write the announcement, exactly as residents should read it:",
            "It will reach {count} residents; {muted} more have muted announcements. "
            "Write the announcement, exactly as residents should read it:",
            listening,
        ).format(count=listening, muted=muted)
    )


async def text_typed(ctx: Context, event: Incoming) -> None:
    """Show the announcement as residents will read it, and ask to confirm."""
    _ = ctx._
    text = event.text.strip()
    if not text or len(text) > MAX_TEXT:
        ctx.say(_("Please keep it to {limit} characters.").format(limit=MAX_TEXT))
        return
    assert ctx.dialogue is not None
    ward = await _ward(ctx, str(ctx.dialogue.data["ward"]))
    if ward is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    ctx.dialogue.data["text"] = text
    ctx.dialogue.step = "confirm"
    preview = _wording(ctx).announcement(ward, text, _me(ctx))
    ctx.say(
        _("This is how residents will read it:") + "\n\n" + str(preview["text"]),
        [Choice(_("Send it"), "ansend"), Choice(_("Cancel"), "cancel")],
    )


async def send(ctx: Context, args: list[str]) -> None:
    """Queue the announcement to every listening follower, and say it is on its way."""
    _ = ctx._
    if not _at(ctx, "confirm"):
        await out_of_date(ctx, args)
        return
    assert ctx.dialogue is not None
    data = ctx.dialogue.data
    ctx.end()
    try:
        sent = await announcements.announce(
            ctx.uow,
            await ctx.officers(),
            int(str(data["ward"])),
            [int(str(a)) for a in _list(data["alleys"])],
            str(data["text"]),
            (ctx.resident.channel, ctx.resident.external_id),
            ctx.language,
            _wording(ctx),
        )
    except (NotAllowed, AlleyNotFound, TextTooLong):
        await out_of_date(ctx, args)
        return
    except NobodyToTell:
        ctx.say(_("No one who can hear it follows these alleys any more; nothing was sent."))
        return
    ctx.say(
        ctx.ngettext(
            "Announcement #{number} is on its way to {count} resident. "
            "I will tell you when it has gone out.",
            "Announcement #{number} is on its way to {count} residents. "
            "I will tell you when it has gone out.",
            sent.recipients,
        ).format(number=sent.id, count=sent.recipients)
    )


async def mute(ctx: Context, event: Incoming) -> None:
    """Say whether announcements are on, with a button to switch."""
    _ = ctx._
    if await ctx.uow.announcements.muted(ctx.resident.id):
        text = _("Announcements from the ward are off. The bell rings as before.")
        choice = Choice(_("Turn announcements on"), "mute:off")
    else:
        text = _("Announcements from the ward are on. Muting them does not stop the bell.")
        choice = Choice(_("Mute announcements"), "mute:on")
    ctx.say(text, [choice])


async def set_muted(ctx: Context, args: list[str]) -> None:
    """Mute announcements (`on`) or hear them again (`off`); the bell rings either way."""
    _ = ctx._
    if args not in (["on"], ["off"]):
        await out_of_date(ctx, args)
        return
    muted = args[0] == "on"
    await ctx.uow.announcements.set_muted(ctx.resident.id, muted)
    if muted:
        ctx.say(
            _("Announcements are muted. The bell still rings; send /mute to hear them again."),
            [Choice(_("Turn announcements on"), "mute:off")],
        )
    else:
        ctx.say(_("You will hear the ward's announcements again."))


async def _ask_alleys(ctx: Context, ward: Ward) -> None:
    _ = ctx._
    assert ctx.dialogue is not None
    chosen = [int(str(a)) for a in _list(ctx.dialogue.data.get("chosen"))]
    ctx.say(
        _(
            "Who should hear it in {ward}? Tick alleys (their followers hear it), or take the "
            "whole ward:"
        ).format(ward=ward.name),
        await audience_choices(ctx, ward.id, chosen, "ana"),
    )


async def _wards(ctx: Context) -> list[Ward]:
    wards = {o.ward.id: o.ward for o in await ctx.officers() if o.role in MAY_ANNOUNCE}
    return sorted(wards.values(), key=lambda ward: ward.name)


async def _ward(ctx: Context, ward_id: str) -> Ward | None:
    return next((w for w in await _wards(ctx) if str(w.id) == ward_id), None)


def _at(ctx: Context, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (ANNOUNCE, step)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _me(ctx: Context) -> Recipient:
    resident = ctx.resident
    return Recipient(
        resident.id,
        resident.channel,
        resident.external_id,
        ctx.language,
        resident.platform_language,
        resident.display_name,
    )


def _wording(ctx: Context) -> AnnouncementWording:
    return AnnouncementWording(ctx.catalogues, ctx.default_language)
