"""The messages reports cause, in the language of whoever reads them."""

from __future__ import annotations

from bot.chat.replies import Reply
from bot.features.bell.wording import Wording
from bot.features.reports.cards import STATE_NAMES, Gettext, officer_card, title, when
from bot.features.reports.following import fixed_buttons
from bot.features.reports.triage import officer_buttons
from core.model import Worded
from core.reports import Report, ReportState


class ReportWording(Wording):
    """Writes what reports cause: officers read the ward's default language; a reporter, theirs."""

    def _officers(self) -> tuple[Gettext, str]:
        language = self.default_language
        return self.catalogues.get(language).gettext, language

    def _reporter(self, report: Report) -> tuple[Gettext, str]:
        reporter = report.reporter
        language = self.catalogues.pick(
            reporter.language, reporter.platform_language, self.default_language
        )
        return self.catalogues.get(language).gettext, language

    def new_report(self, report: Report) -> Worded:
        _, language = self._officers()
        text = (
            "📣 "
            + _("New report")
            + "\n"
            + officer_card(_, report, language, report.created_at, whole=False)
        )
        return Reply(text, tuple(officer_buttons(_, report))).worded()

    def reopened(self, report: Report, note: str) -> Worded:
        _, language = self._officers()
        text = _("🔁 The reporter says #{number} is not fixed: it is open again.").format(
            number=report.id
        )
        if note:
            text += "\n" + _("They wrote: {note}").format(note=note)
        text += "\n\n" + officer_card(_, report, language, report.created_at, whole=False)
        return Reply(text, tuple(officer_buttons(_, report))).worded()

    def state_changed(self, report: Report, note: str | None) -> Worded:
        _, _language = self._reporter(report)
        text = _("Your report {title} is now: {state}.").format(
            title=title(_, report), state=_(STATE_NAMES[report.state])
        )
        if report.state is ReportState.REJECTED and note:
            text += "\n" + _("Reason: {note}").format(note=note)
        elif report.state is ReportState.DUPLICATE and report.duplicate_of is not None:
            text += "\n" + _("It is the same as report #{number}, which the ward follows.").format(
                number=report.duplicate_of
            )
        elif note:
            text += "\n" + _("Note from the ward: {note}").format(note=note)
        return Reply(text).worded()

    def reply(self, report: Report, text: str) -> Worded:
        _, _language = self._reporter(report)
        heading = _("Message from the ward about your report {title}:").format(
            title=title(_, report)
        )
        return Reply(heading + "\n" + text).worded()

    def ask_fixed(self, report: Report) -> Worded:
        _, _language = self._reporter(report)
        text = _("The ward marked your report {title} as resolved. Is it fixed?").format(
            title=title(_, report)
        )
        return Reply(text, tuple(fixed_buttons(_, report))).worded()

    def escalation(self, report: Report) -> Worded:
        _, language = self._officers()
        assert report.due_at is not None  # only an open report is escalated
        if report.state is ReportState.NEW:
            text = _("⏰ #{number} was not acknowledged by its target, {when}.")
        else:
            text = _("⏰ #{number} was not resolved by its target, {when}.")
        text = text.format(number=report.id, when=when(report.due_at, report, language))
        card = officer_card(_, report, language, report.due_at, whole=False)
        return Reply(text + "\n\n" + card, tuple(officer_buttons(_, report))).worded()
