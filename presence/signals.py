from django.dispatch import Signal

# Sent by presence.services.presence_changed with kind, object_id and shop_id: somebody
# started viewing or typing on that object, or left it. Server push listens here.
watchers_changed = Signal()
