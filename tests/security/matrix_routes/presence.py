"""Presence: the watchers fragment and the heartbeat, for each kind of object. Each kind
is reached through its app's access selector, so the action is that of seeing the object."""

from .base import Route


def target(kind: str):
    def kwargs(ctx, shop):
        return {"kind": kind, "pk": ctx.obj(kind, shop).pk}

    kwargs.__name__ = f"presence_{kind}"
    return kwargs


ACTIONS = {"conversation": "chats.work", "problem": "problems.view", "ticket": "tickets.view"}

ROUTES: dict[str, Route] = {}
for _kind, _action in ACTIONS.items():
    ROUTES[f"presence:watchers#{_kind}"] = Route(_action, target(_kind), shop_scoped=True)
    ROUTES[f"presence:beat#{_kind}"] = Route(
        _action, target(_kind), method="post", shop_scoped=True, data={"typing": "1"}
    )
