"""The figures in words: periods, hours, shares, and the lines /stats and /indicators show."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from bot.chat.context import Context
from bot.features.calls.wording import results_lines
from bot.features.reports.cards import CATEGORY_NAMES
from core.mobilisation import VolunteerFigures
from core.report_figures import Figures, Period, PeriodKind
from core.reports import Category

NOTHING = "—"


def period_words(ctx: Context, period: Period) -> str:
    """ "11/2026", "2026", "the last 7 days", in the reader's language."""
    _ = ctx._
    match period.kind:
        case PeriodKind.MONTH:
            return _("month {month}").format(month=f"{period.since:%m/%Y}")
        case PeriodKind.YEAR:
            return _("year {year}").format(year=f"{period.since:%Y}")
        case _:
            days = period.days
            return ctx.ngettext("the last {days} day", "the last {days} days", days).format(
                days=days
            )


def period_slug(period: Period) -> str:
    """The period in a file name: 2026-11, 2026, or 7d-2026-11-30 (the days up to that date)."""
    match period.kind:
        case PeriodKind.MONTH:
            return f"{period.since:%Y-%m}"
        case PeriodKind.YEAR:
            return f"{period.since:%Y}"
        case _:
            return f"{period.days}d-{period.until:%Y-%m-%d}"


def hours(ctx: Context, value: float | None) -> str:
    if value is None:
        return NOTHING
    return ctx._("{hours} h").format(hours=format_decimal(value, "#,##0.0", locale=ctx.language))


def share(ctx: Context, part: int, whole: int) -> str:
    """ "7 of 9 (78%)", or a dash when there is nothing to count."""
    if not whole:
        return NOTHING
    percent = format_percent(part / whole, locale=ctx.language)
    return ctx._("{part} of {whole} ({percent})").format(part=part, whole=whole, percent=percent)


def satisfaction(ctx: Context, figures: Figures) -> str:
    if figures.rating is None:
        return ctx._("no rating yet")
    return ctx.ngettext(
        "{rating}/5 from {count} rating", "{rating}/5 from {count} ratings", figures.ratings
    ).format(
        rating=format_decimal(figures.rating, "0.0", locale=ctx.language), count=figures.ratings
    )


def summary(ctx: Context, figures: Figures, acknowledge: bool) -> list[str]:
    """The main figures of a group of reports; officers also see the time to acknowledge."""
    _ = ctx._
    lines = [
        _("Received: {received}; resolved: {resolved}").format(
            received=figures.received, resolved=figures.resolved
        ),
        _("Resolved on time: {share}").format(
            share=share(ctx, figures.resolved_on_time, figures.resolved)
        ),
        _("Overdue: {share}").format(share=share(ctx, figures.overdue, figures.received)),
    ]
    if acknowledge:
        lines.append(
            _("Median time to acknowledge: {hours}").format(
                hours=hours(ctx, figures.hours_to_acknowledge)
            )
        )
    lines.append(
        _("Median time to resolve: {hours}").format(hours=hours(ctx, figures.hours_to_resolve))
    )
    lines.append(_("Satisfaction: {rating}").format(rating=satisfaction(ctx, figures)))
    return lines


def short(ctx: Context, name: str, figures: Figures) -> str:
    """One line for a category or an alley."""
    return "• " + ctx._(
        "{name}: {received} received, {resolved} resolved, {overdue} overdue, "
        "median {hours} to resolve"
    ).format(
        name=name,
        received=figures.received,
        resolved=figures.resolved,
        overdue=figures.overdue,
        hours=hours(ctx, figures.hours_to_resolve),
    )


def category_name(ctx: Context, category: Category) -> str:
    return ctx._(CATEGORY_NAMES[category])


def volunteering(ctx: Context, figures: VolunteerFigures) -> list[str]:
    """What volunteers did in the period: calls held, who came, hours, results."""
    _ = ctx._
    if not figures.calls_held:
        return [_("Volunteering: no call was closed with results in this period.")]
    lines = [
        ctx.ngettext(
            "Volunteering: {count} call held; turnout {turnout}; {hours} hours given.",
            "Volunteering: {count} calls held; turnout {turnout}; {hours} hours given.",
            figures.calls_held,
        ).format(
            count=figures.calls_held,
            turnout=share(ctx, figures.attended, figures.signups),
            hours=format_decimal(round(figures.hours, 1), locale=ctx.language),
        )
    ]
    lines.extend(f"• {line}" for line in results_lines(_, figures.results))
    return lines
