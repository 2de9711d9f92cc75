"""The embedded broker (helpdesk/broker.py) keeps the late-ack contract of production's
Redis transport: acknowledged messages go, a message held by a consumer that died comes
back after the visibility timeout (or at once when the sole worker restarts)."""

import sqlite3
import time
from queue import Empty

import pytest
import time_machine
from kombu import Connection

VISIBILITY_TIMEOUT = 300


@pytest.fixture
def broker_url(tmp_path):
    return f"sqlite:///{tmp_path / 'broker.sqlite3'}"


def _connect(url: str) -> Connection:
    return Connection(
        url,
        transport="helpdesk.broker:Transport",
        transport_options={"visibility_timeout": VISIBILITY_TIMEOUT, "polling_interval": 0.01},
    )


def _rows(url: str) -> list[tuple[bool]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        return db.execute("SELECT visible FROM kombu_message").fetchall()


def _publish(url: str, body: dict) -> None:
    with _connect(url) as connection:
        connection.SimpleQueue("tasks").put(body)


def test_an_acknowledged_message_is_deleted(broker_url):
    _publish(broker_url, {"n": 1})
    with _connect(broker_url) as connection:
        message = connection.SimpleQueue("tasks").get(timeout=2)
        assert message.payload == {"n": 1}
        assert _rows(broker_url) == [(False,)]
        message.ack()
    assert _rows(broker_url) == []


def test_a_message_held_by_a_dead_consumer_comes_back_after_the_visibility_timeout(broker_url):
    _publish(broker_url, {"n": 2})
    dead = _connect(broker_url)
    held = dead.SimpleQueue("tasks").get(timeout=2)
    assert held.payload == {"n": 2}  # never acknowledged: its consumer dies with it
    with _connect(broker_url) as connection:
        queue = connection.SimpleQueue("tasks")
        with pytest.raises(Empty):
            queue.get(timeout=0.2)
        # A timestamp, not an aware datetime: time-machine would switch the local time zone
        # too, and kombu's column holds local time.
        with time_machine.travel(time.time() + VISIBILITY_TIMEOUT + 1):
            again = queue.get(timeout=2)
        assert again.payload == {"n": 2}
        assert again.properties["delivery_tag"] == held.properties["delivery_tag"]
        again.ack()
    assert _rows(broker_url) == []
    dead.release()


def test_requeue_taken_hands_out_at_once_what_a_dead_worker_held(broker_url):
    _publish(broker_url, {"n": 3})
    dead = _connect(broker_url)
    dead.SimpleQueue("tasks").get(timeout=2)
    with _connect(broker_url) as connection:
        assert connection.default_channel.requeue_taken() == 1
        again = connection.SimpleQueue("tasks").get(timeout=2)
        assert again.payload == {"n": 3}
        again.ack()
    assert _rows(broker_url) == []
    dead.release()


def test_a_requeued_message_is_shown_again_not_copied(broker_url):
    _publish(broker_url, {"n": 4})
    with _connect(broker_url) as connection:
        queue = connection.SimpleQueue("tasks")
        queue.get(timeout=2).requeue()
        assert _rows(broker_url) == [(True,)]
        message = queue.get(timeout=2)
        assert message.payload == {"n": 4}
        message.ack()
    assert _rows(broker_url) == []
