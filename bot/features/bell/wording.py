"""The words of the bell, in each resident's language."""

from __future__ import annotations

import functools

from bot.chat.i18n import Catalogues
from bot.chat.render import day_name, hhmm
from bot.chat.replies import Choice, Reply
from bot.features.reports.filing import FROM_BELL
from core.model import Worded
from core.reminders import Crowded, Follower, Reminder
from core.schedule_changes import ScheduleChange


class Wording:
    """What every message of the bell needs: the catalogues, and whose language to use."""

    def __init__(self, catalogues: Catalogues, default_language: str) -> None:
        self.catalogues = catalogues
        self.default_language = default_language

    def language_of(self, follower: Follower) -> str:
        return self.catalogues.pick(
            follower.language, follower.platform_language, self.default_language
        )


class BellWording(Wording):
    """Turns a reminder into the message a resident reads."""

    def __call__(self, reminder: Reminder) -> Worded:
        follower = reminder.follower
        at = reminder.collection.at
        alley = reminder.schedule.alley
        return self._worded(
            alley.name,
            alley.code,
            hhmm(at),
            int(at.timestamp()) // 60,
            follower.lead_minutes,
            self.language_of(follower),
        )

    # An alley's followers mostly read the same words: made once, shared by all.
    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one wording object lives as long as the bot
    def _worded(
        self, alley: str, code: str, time: str, minute: int, lead: int, language: str
    ) -> Worded:
        _ = self.catalogues.get(language).gettext
        text = _(
            "🔔 The garbage truck reaches {alley} at {time}, in {lead} minutes. "
            "Please bring your garbage out now."
        ).format(alley=alley, time=time, lead=lead)
        # The collection travels in the button (as Unix minutes, to stay within 64 bytes), so
        # a report made from it knows which collection it is about.
        report = Choice(_("Missed collection / litter here"), f"{FROM_BELL}:{code}:{minute}")
        return Reply(text, (report,)).worded()


class NoticeWording(Wording):
    """Turns a change of an alley's calendar into the message each follower reads."""

    def __call__(self, follower: Follower, change: ScheduleChange) -> Worded:
        return Reply(self.text(change, self.language_of(follower))).worded()

    def text(self, change: ScheduleChange, language: str) -> str:
        _ = self.catalogues.get(language).gettext
        if change.day is None:
            return _(
                "🔔 The collection times of {alley} have changed. "
                "Send /schedule to see the coming week."
            ).format(alley=change.alley.name)
        day = day_name(change.day, language, change.today)
        if change.back_at is not None:
            return _("🔔 {alley}: the collection of {day} is back, at {time} as usual.").format(
                alley=change.alley.name, day=day, time=hhmm(change.back_at)
            )
        if change.moved_to is None:
            return _("🔔 {alley}: no garbage collection on {day}.").format(
                alley=change.alley.name, day=day
            )
        return _("🔔 {alley}: the collection of {day} moves to {new_day} at {time}.").format(
            alley=change.alley.name,
            day=day,
            new_day=day_name(change.moved_to.date(), language, change.today),
            time=hhmm(change.moved_to),
        )


class CrowdedWording(Wording):
    """Tells a ward's officers of a slot whose bells cannot all reach residents on time."""

    def __call__(self, slot: Crowded) -> Worded:
        language = self.default_language
        template = self.catalogues.get(language).ngettext(
            "⚠️ {day} at {time}: {late} of the {count} bell due then cannot reach residents "
            "on time at the pace {channel} allows. Spread that hour's collection times, or "
            "turn on paid broadcast.",
            "⚠️ {day} at {time}: {late} of the {count} bells due then cannot reach residents "
            "on time at the pace {channel} allows. Spread that hour's collection times, or "
            "turn on paid broadcast.",
            slot.reminders,
        )
        text = template.format(
            day=day_name(slot.minute.date(), language),
            time=hhmm(slot.minute),
            late=slot.late,
            count=slot.reminders,
            channel=slot.channel.capitalize(),
        )
        return Reply(text).worded()
