"""Domain errors; `bot/` turns each into a message in the resident's language."""


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


class UnsupportedLanguage(DomainError):
    def __init__(self, language: str) -> None:
        super().__init__(language)
        self.language = language


class NotAllowed(DomainError):
    """The person has no role that permits this, in this ward."""


class DateInPast(DomainError):
    """A change to the calendar for a day that has already gone."""
