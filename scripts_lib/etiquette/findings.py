"""A finding of the etiquette checker: which rule, where, what to write instead."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }
