"""What a resident attaches to a report: the kinds of message a step takes, and the photos."""

from __future__ import annotations

from bot.chat.context import Context
from bot.chat.events import Incoming, Kind
from bot.chat.replies import Choice
from core.limits import PHOTO_REF

PHOTO_KINDS = frozenset({Kind.PHOTO, Kind.TEXT, Kind.OTHER})
WHERE_KINDS = frozenset({Kind.LOCATION, Kind.TEXT})


def photo_fits(ctx: Context, event: Incoming, choices: list[Choice]) -> bool:
    """Refuse, kindly, what is not a photo or is too big; the report is kept either way."""
    _ = ctx._
    if event.kind is Kind.TEXT:
        if choices:
            how = ctx.pressing(choices, choices[0].label)
            ctx.say(_("Please send a photo, or {how}.").format(how=how), choices)
        else:
            ctx.say(_("Please send a photo, or /cancel when you are done."))
        return False
    # A reference longer than the ward keeps (a URL a platform should never send) is no photo.
    if event.kind is not Kind.PHOTO or event.photo is None or len(event.photo.ref) > PHOTO_REF:
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
