"""The words of announcements: as residents read them, and their progress as officers read it."""

from __future__ import annotations

from bot.chat.i18n import Catalogues
from bot.chat.replies import Choice, Reply
from bot.features.announcements.mute import MUTE, MUTE_ON
from core.mobilisation import Announcement, Delivered, Recipient
from core.model import Ward, Worded


class AnnouncementWording:
    """An announcement as residents read it, and its progress as its officer reads it (see
    `core.announcements.AnnouncementNotices`)."""

    def __init__(self, catalogues: Catalogues, default_language: str) -> None:
        self.catalogues = catalogues
        self.default_language = default_language

    def announcement(self, ward: Ward, text: str, to: Recipient) -> Worded:
        language = self.catalogues.pick(to.language, to.platform_language, self.default_language)
        _ = self.catalogues.get(language).gettext
        header = _("📢 {ward} announces:").format(ward=ward.name)
        mute = Choice(_("Mute announcements"), f"{MUTE}:{MUTE_ON}")
        return Reply(header + "\n\n" + text, (mute,)).worded()

    def progress(self, announcement: Announcement, so_far: Delivered) -> Worded:
        words = self.catalogues.get(announcement.language)
        sent = so_far.delivered + so_far.blocked + so_far.failed + so_far.uncertain
        text = words.ngettext(
            "📢 Announcement #{number}: {sent} of {count} message sent so far.",
            "📢 Announcement #{number}: {sent} of {count} messages sent so far.",
            announcement.recipients,
        ).format(number=announcement.id, sent=sent, count=announcement.recipients)
        return Reply(text).worded()

    def summary(self, announcement: Announcement, outcome: Delivered) -> Worded:
        words = self.catalogues.get(announcement.language)
        _ = words.gettext
        text = words.ngettext(
            "📢 Announcement #{number} has gone out to {count} resident: {delivered} "
            "delivered, {blocked} have blocked the bot, {failed} failed.",
            "📢 Announcement #{number} has gone out to {count} residents: {delivered} "
            "delivered, {blocked} have blocked the bot, {failed} failed.",
            announcement.recipients,
        ).format(
            number=announcement.id,
            count=announcement.recipients,
            delivered=outcome.delivered,
            blocked=outcome.blocked,
            failed=outcome.failed,
        )
        if outcome.uncertain:
            text += " " + _(
                "For {uncertain} the platform did not answer in time; they may have it."
            ).format(uncertain=outcome.uncertain)
        return Reply(text).worded()
