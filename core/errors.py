"""Domain errors; `bot/` turns each into a message in the resident's language."""

from __future__ import annotations

from core.model import CollectionRule


class DomainError(Exception):
    """A request the ward's rules refuse; nothing was changed."""


class AlleyNotFound(DomainError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class WardNotFound(DomainError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SubscriptionNotFound(DomainError):
    """The subscription does not exist or belongs to someone else."""


class InvalidLeadTime(DomainError):
    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


class NoEveningBell(DomainError):
    """The alley's ward rings no evening-before bell."""


class UnsupportedLanguage(DomainError):
    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language


class NotAllowed(DomainError):
    """The person has no role that permits this, in this ward."""


class DateInPast(DomainError):
    """A change to the calendar for a day that has already gone."""


class ReportNotFound(DomainError):
    """No such report, or not one the person may see."""


class MoveNotAllowed(DomainError):
    """A report cannot go from its state to the one asked."""

    def __init__(self, current: str, to: str) -> None:
        super().__init__(current, to)
        self.current = current
        self.to = to


class ReasonRequired(DomainError):
    """Rejecting a report needs a reason the reporter can read."""


class TooManyReports(DomainError):
    def __init__(self, per_hour: int) -> None:
        super().__init__(per_hour)
        self.per_hour = per_hour


class CallNotFound(DomainError):
    """No such volunteer call, or not one the person may manage."""


class SignupsClosed(DomainError):
    """The call takes no more sign-ups: its deadline or start has passed, or it is closed."""


class AlreadySignedUp(DomainError):
    """The person already has a place on the call, or on its waiting list: no invitation."""

    def __init__(self, who: str | None, title: str, waitlisted: bool) -> None:
        super().__init__(who, title, waitlisted)
        self.who = who
        self.title = title
        self.waitlisted = waitlisted


class NotSignedUp(DomainError):
    """The resident has no place, nor a place on the waitlist, to give up."""


class InvalidCall(DomainError):
    """A volunteer call or its results with a value the rules refuse; `field` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class CallNotOpen(DomainError):
    """The call has started, is closed or is cancelled: it can no longer be cancelled."""


class CallNotOver(DomainError):
    """A call's results can be recorded only once it has started."""


class OfferNotFound(DomainError):
    """No such offer of help, or not one the person may see."""


class NobodyToTell(DomainError):
    """No resident who may be written to follows the alleys chosen."""


class TextTooLong(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ApiKeyNotFound(DomainError):
    """No partner has an active key by this name, or the key given is not one."""


class PartnerHasKey(DomainError):
    """The partner already has an active key: revoke it before issuing another."""


class PlaceNotFound(DomainError):
    """A report names no ward, alley or position the bot can place it in."""


class NoCollectionThatDay(DomainError):
    """A skip or move names a day on which the alley's rules bring no truck."""

    def __init__(self, rules: tuple[CollectionRule, ...]) -> None:
        super().__init__(rules)
        self.rules = rules


class SlotTaken(DomainError):
    """A collection is moved onto a time at which the alley already has one."""


class NothingToUndo(DomainError):
    """The day's collection is already as the alley's rules have it."""


class TooManyPhotos(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit
