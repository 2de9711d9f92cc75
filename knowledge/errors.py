class KnowledgeError(Exception):
    """A knowledge-base change refused, with a message for a person."""


class KnowledgeImportError(KnowledgeError):
    """The file's rows that are wrong: [(line, message)]; nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))
        self.errors = errors
