import pytest


@pytest.fixture
def sent(monkeypatch, memory_layer):
    """Every (topic, event) the app hands to the push layer."""
    import json

    record = []
    original = memory_layer.send

    def send(topic, data):
        record.append((topic, json.loads(data)))
        original(topic, data)

    monkeypatch.setattr(memory_layer, "send", send)
    return record
