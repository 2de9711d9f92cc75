from helpdesk.errors import ConflictError


class AlreadyDecided(ConflictError):
    pass
