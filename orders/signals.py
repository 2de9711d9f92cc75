from django.dispatch import Signal

# Sent by orders.importing.run.import_file once an import's transaction has committed
# (never for a dry run, a --strict refusal, a fatal file or a rolled-back run), with
# shop_id and kind ("orders" or "items"). Apps above orders that keep something derived
# from the imported rows (the catalogue) listen here; orders does not know them.
import_committed = Signal()
