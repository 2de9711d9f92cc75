"""What the catalogue does when lower apps announce a change (connected in apps.py)."""

from .tasks import catalogue_refresh_after_import_task


def refresh_after_import(sender, *, shop_id: int, **kwargs) -> None:
    """An order import of the shop committed: its item lines may carry new products or
    newer titles and prices. The refresh runs in a task, after any transaction the
    signal arrives in has committed."""
    catalogue_refresh_after_import_task.delay_on_commit(shop_id)
