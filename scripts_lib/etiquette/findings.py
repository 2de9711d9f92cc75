"""A finding of the etiquette checker: which rule, where, what to write instead."""

from dataclasses import dataclass, field

from .messages import rule_message


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    suggestion: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The advice in the active language (see ``messages``)."""
        return rule_message(self.rule, self.params)

    def as_stored(self) -> dict:
        """What is kept with a message or draft: the rule code and its quoted words, never
        the advice text, so each reader gets it in their own language."""
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "params": self.params,
            "suggestion": self.suggestion,
        }

    def as_dict(self) -> dict:
        """For an answer given now (API, command line): with the advice in today's language."""
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }
