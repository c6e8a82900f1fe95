"""Officers' /announce to alleys or the whole ward, with a preview and a confirm step."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.replies import Choice
from bot.features.announcements.wording import AnnouncementWording
from bot.features.audience import DONE, WHOLE_WARD, alley_picker, page_asked, page_of, picked
from bot.features.general.handlers import out_of_date
from core import announcements
from core.errors import AlleyNotFound, NobodyToTell, NotAllowed, TextTooLong
from core.mobilisation import MAX_TEXT, MAY_ANNOUNCE, Recipient
from core.model import Ward

ANNOUNCE = "announce"
PICK_WARD = "anw"
PICK_ALLEYS = "ana"
SEND = "ansend"


@dataclass
class AnnouncementDraft:
    """An announcement being written: its ward, the alleys ticked, and the text."""

    ward: int | None = None
    chosen: list[int] = field(default_factory=list)
    alleys: list[int] = field(default_factory=list)  # none: the whole ward, as it is when sent
    text: str = ""


async def announce(ctx: Context, event: Incoming) -> None:
    """Begin an announcement: the ward (when the officer serves several), then who hears it."""
    _ = ctx._
    wards = await _wards(ctx)
    if len(wards) == 1:
        ctx.begin(ANNOUNCE, "alleys", AnnouncementDraft(ward=wards[0].id))
        await _ask_alleys(ctx, wards[0], [])
        return
    ctx.begin(ANNOUNCE, "ward", AnnouncementDraft())
    ctx.say(_("Announce to which ward?"), [Choice(w.name, f"{PICK_WARD}:{w.id}") for w in wards])


async def pick_ward(ctx: Context, args: list[str]) -> None:
    """The ward to announce to."""
    ward = await _ward(ctx, args[0] if len(args) == 1 else "")
    if not _at(ctx, "ward") or ward is None:
        await out_of_date(ctx, args)
        return
    ctx.begin(ANNOUNCE, "alleys", AnnouncementDraft(ward=ward.id))
    await _ask_alleys(ctx, ward, [])


async def pick_alleys(ctx: Context, args: list[str]) -> None:
    """Tick alleys whose followers hear it, or take the whole ward."""
    _ = ctx._
    if not _at(ctx, "alleys") or len(args) != 1:
        await out_of_date(ctx, args)
        return
    data = ctx.data(AnnouncementDraft)
    ward = await _ward(ctx, str(data.ward))
    if ward is None:
        await out_of_date(ctx, args)
        return
    if (start := page_asked(args[0])) is not None:
        await _ask_alleys(ctx, ward, data.chosen, start)
        return
    if args[0] == DONE and data.chosen:
        alleys = data.chosen
    else:
        found = await picked(ctx, ward.id, data.chosen, args[0])
        if found is None:
            await out_of_date(ctx, args)
            return
        if args[0] != WHOLE_WARD:
            data.chosen = found
            ctx.keep(data)
            await _ask_alleys(ctx, ward, found, await page_of(ctx, ward.id, int(args[0])))
            return
        alleys = []  # the whole ward, as it is when the announcement goes
    listening, muted = await announcements.audience_size(
        ctx.uow, await ctx.officers(), ward.id, alleys
    )
    if not listening:
        ctx.say(_("No one who can hear it follows these alleys yet. Pick others:"))
        await _ask_alleys(ctx, ward, data.chosen)
        return
    data.alleys = alleys
    ctx.keep(data, step="text")
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
    data = ctx.data(AnnouncementDraft)
    ward = await _ward(ctx, str(data.ward))
    if ward is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    data.text = text
    ctx.keep(data, step="confirm")
    preview = _wording(ctx).announcement(ward, text, _me(ctx))
    ctx.say(
        _("This is how residents will read it:") + "\n\n" + str(preview.payload["text"]),
        [Choice(_("Send it"), SEND), Choice(_("Cancel"), "cancel")],
    )


async def send(ctx: Context, args: list[str]) -> None:
    """Queue the announcement to every listening follower, and say it is on its way."""
    _ = ctx._
    if not _at(ctx, "confirm"):
        await out_of_date(ctx, args)
        return
    data = ctx.data(AnnouncementDraft)
    ctx.end()
    if data.ward is None:
        await out_of_date(ctx, args)
        return
    try:
        sent = await announcements.announce(
            ctx.uow,
            await ctx.officers(),
            data.ward,
            data.alleys,
            data.text,
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


async def alleys_typed(ctx: Context, event: Incoming) -> None:
    """A name typed while picking alleys: the alleys it finds."""
    data = ctx.data(AnnouncementDraft)
    ward = await _ward(ctx, str(data.ward))
    if ward is None:
        ctx.end()
        await out_of_date(ctx, [])
        return
    await _ask_alleys(ctx, ward, data.chosen, search=event.text)


async def _ask_alleys(
    ctx: Context, ward: Ward, chosen: list[int], start: int = 0, search: str | None = None
) -> None:
    _ = ctx._
    note, choices = await alley_picker(ctx, ward.id, chosen, PICK_ALLEYS, start, search)
    ctx.say(
        _(
            "Who should hear it in {ward}? Tick alleys (their followers hear it), or take the "
            "whole ward:"
        ).format(ward=ward.name)
        + note,
        choices,
    )


async def _wards(ctx: Context) -> list[Ward]:
    wards = {o.ward.id: o.ward for o in await ctx.officers() if o.role in MAY_ANNOUNCE}
    return sorted(wards.values(), key=lambda ward: ward.name)


async def _ward(ctx: Context, ward_id: str) -> Ward | None:
    return next((w for w in await _wards(ctx) if str(w.id) == ward_id), None)


def _at(ctx: Context, step: str) -> bool:
    return ctx.dialogue is not None and (ctx.dialogue.name, ctx.dialogue.step) == (ANNOUNCE, step)


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
