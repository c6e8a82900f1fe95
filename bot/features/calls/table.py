"""Volunteer calls' commands, buttons and steps: residents volunteer, organisers call."""

from bot.chat.i18n import N_
from bot.chat.table import Button, Command, Feature, Step
from bot.features.calls import (
    closing,
    from_report,
    newcall,
    offers,
    roster,
    volunteer,
    wording,
)
from core.mobilisation import MAY_ORGANISE

FEATURE = Feature(
    commands=(
        Command(
            "volunteer",
            volunteer.volunteer,
            N_("volunteer calls near you; offer your help"),
            alias="tinhnguyen",
        ),
        Command(
            "newcall",
            newcall.new_call,
            N_("call for volunteers"),
            alias="keugoimoi",
            roles=MAY_ORGANISE,
        ),
        Command(
            "calls",
            roster.list_calls,
            N_("your volunteer calls and who signed up"),
            alias="keugoi",
            roles=MAY_ORGANISE,
        ),
        Command(
            "offers",
            offers.find_offers,
            N_("residents' offers of help"),
            alias="giupdo",
            roles=MAY_ORGANISE,
        ),
    ),
    buttons=(
        Button(volunteer.SHOW_CALL, volunteer.show_call),
        # Made in `wording`: invitations and reminders carry them too.
        Button(wording.JOIN, volunteer.join_call),
        Button(wording.DECLINE, volunteer.decline_call),
        Button(wording.LEAVE, volunteer.leave_call),
        Button(volunteer.CALENDAR, volunteer.send_calendar),
        Button(volunteer.OFFER_HELP, volunteer.ask_offer_kind),
        Button(volunteer.OFFER_KIND, volunteer.pick_offer_kind),
        Button(volunteer.OFFER_WARD, volunteer.pick_offer_ward),
        Button(volunteer.FREE_ANY_TIME, volunteer.any_time),
        Button(volunteer.MY_OFFERS, volunteer.my_offers),
        Button(volunteer.WITHDRAW_OFFER, volunteer.withdraw_offer),
        Button(newcall.PICK_WARD, newcall.pick_ward),
        Button(newcall.PICK_KIND, newcall.pick_kind),
        Button(newcall.NO_DEADLINE, newcall.no_deadline),
        Button(newcall.NOTHING_TO_BRING, newcall.nothing_to_bring),
        Button(newcall.PICK_ALLEYS, newcall.pick_alleys),
        Button(newcall.SEND, newcall.send_call),
        Button(roster.SHOW_CALL, roster.show_call),
        Button(roster.WRITE_NOTE, roster.ask_note),
        Button(offers.OFFERS_FOR_CALL, offers.offers_for_call),
        Button(closing.ASK_ATTENDANCE, closing.ask_attendance),
        Button(closing.TOGGLE_CAME, closing.toggle_came),
        Button(closing.CAME_DONE, closing.attendance_done),
        Button(closing.CALLS_LENGTH, closing.hours_choice),
        Button(closing.SKIP_MEASURE, closing.skip_measure),
        Button(closing.CLOSE_IT, closing.close_confirmed),
        Button(offers.INVITE, offers.invite),
        Button(offers.OFFERS_IN_WARD, offers.offers_in_ward),
        Button(offers.LIST_OFFERS, offers.list_offers),
        Button(offers.CALL_FOR_OFFER, offers.pick_call_for_offer),
        Button(from_report.CALL_FOR_REPORT, from_report.call_for_report),
        Button(from_report.RESOLVE_REPORT, from_report.resolve_report),
    ),
    steps=(
        Step(volunteer.OFFER, "description", volunteer.description_typed),
        Step(volunteer.OFFER, "available", volunteer.available_typed),
        Step(newcall.NEWCALL, "title", newcall.title_typed),
        Step(newcall.NEWCALL, "when", newcall.when_typed),
        Step(newcall.NEWCALL, "where", newcall.where_given, newcall.WHERE_KINDS),
        Step(newcall.NEWCALL, "slots", newcall.slots_typed, numbers=True),
        Step(newcall.NEWCALL, "deadline", newcall.deadline_typed),
        Step(newcall.NEWCALL, "bring", newcall.bring_typed),
        Step(roster.NOTE, "text", roster.note_typed),
        Step(closing.CLOSE, "hours", closing.hours_typed, numbers=True),
        Step(closing.CLOSE, "measure", closing.measure_typed, numbers=True),
    ),
)
