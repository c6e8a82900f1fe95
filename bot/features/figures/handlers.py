"""/stats and /export for the ward's officers; /indicators for everyone."""

from __future__ import annotations

import asyncio

from bot.chat.context import Context
from bot.chat.events import Incoming
from bot.chat.replies import Document, Picture
from bot.features.figures import charts, exports
from bot.features.figures.wording import (
    category_name,
    period_slug,
    period_words,
    short,
    summary,
    volunteering,
)
from core.indicators import (
    Indicators,
    exports_for_wards,
    figures_for_wards,
    resident_indicators,
    triaged_wards,
    ward_volunteering,
)
from core.report_figures import BadPeriod, WardFigures


async def show_stats(ctx: Context, event: Incoming) -> None:
    """Show each of the officer's wards' figures over a period, with a chart: /stats [period]."""
    wards = triaged_wards(await ctx.officers())
    try:
        found = await figures_for_wards(ctx.uow, wards, event.args, ctx.now)
    except BadPeriod as bad:
        _say_bad_period(ctx, "stats", bad)
        return
    for figures in found:
        chart = await asyncio.to_thread(charts.png, _chart(ctx, figures))
        name = f"stats-{figures.ward.code}-{period_slug(figures.period)}.png"
        helped = volunteering(ctx, await ward_volunteering(ctx.uow, figures))
        text = _stats_text(ctx, figures) + "\n\n" + "\n".join(helped)
        ctx.say(text, picture=Picture(name, chart))


async def send_export(ctx: Context, event: Incoming) -> None:
    """Send each of the officer's wards' reports of a period, and their trail, as CSV files."""
    _ = ctx._
    wards = triaged_wards(await ctx.officers())
    try:
        found = await exports_for_wards(ctx.uow, wards, event.args, ctx.now)
    except BadPeriod as bad:
        _say_bad_period(ctx, "export", bad)
        return
    for export in found:
        period = period_words(ctx, export.period)
        if not export.reports:
            ctx.say(
                _("{ward}: no report was filed in {period}.").format(
                    ward=export.ward.name, period=period
                )
            )
            continue
        stem = f"{export.ward.code}-{period_slug(export.period)}"
        ctx.say(
            ctx.ngettext(
                "{ward}, {period}: {count} report.",
                "{ward}, {period}: {count} reports.",
                len(export.reports),
            ).format(ward=export.ward.name, period=period, count=len(export.reports)),
            document=Document(f"reports-{stem}.csv", exports.reports_csv(_, export)),
        )
        ctx.say(
            _("Their history: every change, note and reply."),
            document=Document(f"events-{stem}.csv", exports.events_csv(_, export)),
        )


async def show_indicators(ctx: Context, event: Incoming) -> None:
    """Show this month's figures of the wards of the resident's alleys; no one's data."""
    _ = ctx._
    found = await resident_indicators(ctx.uow, ctx.resident.id, ctx.now)
    if not any(i.followed for i in found):
        lines = [
            _(
                "You follow no alley yet: send /subscribe to follow yours and see its ward's "
                "figures. This month in every ward:"
            )
        ]
        lines.extend(short(ctx, i.figures.ward.name, i.figures.total) for i in found)
        ctx.say("\n".join(lines))
        return
    ctx.say("\n\n".join(_indicators_text(ctx, i) for i in found))


def _say_bad_period(ctx: Context, command: str, bad: BadPeriod) -> None:
    ctx.say(
        ctx._(
            "I do not know the period “{period}”. Write /{command} for this month, or "
            "/{command} 2026-11 or 11/2026 (a month), /{command} 2026 (a year), /{command} week "
            "(the last 7 days), /{command} 30d (the last 30 days)."
        ).format(period=bad.text, command=command)
    )


def _heading(ctx: Context, figures: WardFigures) -> str:
    return "📊 " + ctx._("{ward}, {period}").format(
        ward=figures.ward.name, period=period_words(ctx, figures.period)
    )


def _stats_text(ctx: Context, figures: WardFigures) -> str:
    _ = ctx._
    lines = [_heading(ctx, figures), *summary(ctx, figures.total, acknowledge=True)]
    lines.append(_("Times are clock hours from filing, nights and holidays included."))
    lines.append("")
    lines.append(_("By category:"))
    lines.extend(short(ctx, category_name(ctx, c), f) for c, f in figures.by_category)
    if figures.by_alley:
        lines.append("")
        lines.append(_("By alley:"))
        lines.extend(
            short(ctx, alley.name if alley else _("no alley given"), f)
            for alley, f in figures.by_alley
        )
    return "\n".join(lines)


def _indicators_text(ctx: Context, indicators: Indicators) -> str:
    _ = ctx._
    lines = [_heading(ctx, indicators.figures), *summary(ctx, indicators.figures.total, False)]
    if indicators.followed:
        lines.append(_("Your alleys:"))
        lines.extend(short(ctx, alley.name, f) for alley, f in indicators.followed)
    lines.extend(volunteering(ctx, indicators.volunteering))
    return "\n".join(lines)


def _chart(ctx: Context, figures: WardFigures) -> charts.PairChart:
    _ = ctx._
    return charts.PairChart(
        title=_heading(ctx, figures).removeprefix("📊 "),
        labels=tuple(category_name(ctx, c) for c, _f in figures.by_category),
        first=tuple(f.received for _c, f in figures.by_category),
        second=tuple(f.resolved for _c, f in figures.by_category),
        legend=(_("Received"), _("Resolved")),
    )
