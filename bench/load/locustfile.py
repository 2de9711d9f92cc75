"""A busy day at the helpdesk, as the browser pages would load it.

- Agents log in through the real form, go online, and do what the workspace page does:
  poll the queue partial and the open conversation every second (htmx ``every 1s``),
  open a conversation from their queue (or the waiting queue when theirs is empty), and
  reply to it through the composer's form (CSRF, htmx headers).
- Web-chat buyers (/c/<shop>/) give a nick, poll for replies every 1.5 s and send a
  message now and then; bridge buyers arrive through the signed inbound endpoint.
- Supervisors open the escalation inbox and the KPI dashboard and poll the red alerts
  every 5 s.
- One in-sale lead uploads an order report through the import page and watches its
  run page (polled every second) until the Celery worker has imported it, then again.

How many of each come from the environment (``bench/load/run`` sets them, and locust's
``-u`` is their sum): LOAD_AGENTS, LOAD_SUPERVISORS, LOAD_IMPORTERS, LOAD_WEB_BUYERS,
LOAD_BRIDGE_BUYERS. LOAD_FIXTURE names the JSON that prepare.py wrote (logins, channels, the file).
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import time
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant_pacing, events, task

HTMX = {"HX-Request": "true"}
RUN = os.environ.get("LOAD_RUN_ID") or str(int(time.time()))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUE_ROW = re.compile(r'data-conversation="(\d+)"')
AFTER = re.compile(r"/messages/\?after=(\d+)")
RUN_PAGE = re.compile(r"/orders/import/(\d+)/")
STILL_RUNNING = 'hx-trigger="every 1s"'
AGENT_REPLIES = [
    "亲，在的，这款有现货，今天下午五点前付款当天发出哦",
    "您好，根据您的身高体重建议选 M 码，不合适支持七天无理由退换",
    "已经帮您备注优先发货了，物流单号出来后会同步给您",
    "亲，颜色以实物为准，灯光下会有一点点差别，介意的话可以看买家秀",
    "收到，我这边帮您登记一下，稍等哦",
]
BUYER_MESSAGES = [
    "在吗？这款还有货吗",
    "我165cm 55kg，穿什么码",
    "今天付款今天能发吗",
    "两件一起拍能便宜点吗",
    "发什么快递？能发顺丰吗",
    "好的，谢谢",
]


@events.init.add_listener
def refresh_loop_clock(**_kwargs) -> None:
    """gevent's loop caches the time it last woke up; locust schedules ``--run-time``
    from it, and on a busy machine the seconds spent importing before that would come
    off the run (a 10 s run stopped after 5.7 s). Refresh it before the timer is set."""
    gevent.get_hub().loop.update_now()


@cache
def fixture() -> dict:
    return json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text())


def count(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


_logins: dict[str, itertools.count] = {}


def next_login(group: str) -> str:
    """Each simulated person takes the next login of its group (wrapping around)."""
    names = fixture()[group] if group != "importer" else [fixture()["importer"]]
    counter = _logins.setdefault(group, itertools.count())
    return names[next(counter) % len(names)]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The channel signature (helpdesk/signatures.py): HMAC-SHA256 of "<ts>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class Browser(FastHttpUser):
    """A browser session: cookies, the CSRF token, htmx headers."""

    abstract = True

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def post_form(self, url: str, data: dict, name: str, htmx: bool = True, **kwargs):
        headers = {"X-CSRFToken": self.csrf(), **(HTMX if htmx else {})}
        return self.client.post(url, data=data, headers=headers, name=name, **kwargs)

    def log_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF_FIELD.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": fixture()["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login as {username} refused ({response.status_code})")


class AgentUser(Browser):
    fixed_count = count("LOAD_AGENTS", 50)
    wait_time = constant_pacing(1)

    def on_start(self):
        self.log_in(next_login("agents"))
        self.client.get("/chats/", name="chats workspace")
        self.post_form(
            "/chats/presence/",
            {"status": "online"},
            name="chats presence",
            htmx=False,
            allow_redirects=False,
        )
        self.queue: list[int] = []
        self.open_id = None
        self.last_id = 0

    @task(8)
    def poll(self):
        """One tick of the workspace: the queue partial, and the open conversation."""
        response = self.client.get("/chats/queue/?view=mine", headers=HTMX, name="chats queue poll")
        self.queue = [int(pk) for pk in QUEUE_ROW.findall(response.text or "")]
        if self.open_id:
            response = self.client.get(
                f"/chats/{self.open_id}/messages/?after={self.last_id}",
                headers=HTMX,
                name="chats messages poll",
            )
            self._follow(response.text)
        if random.random() < 1 / 60:
            self.client.get(
                "/tickets/notifications/badge/", headers=HTMX, name="notifications badge poll"
            )

    @task(1)
    def open_conversation(self):
        candidates = self.queue
        if not candidates:
            response = self.client.get(
                "/chats/queue/?view=waiting", headers=HTMX, name="chats queue poll"
            )
            candidates = [int(pk) for pk in QUEUE_ROW.findall(response.text or "")]
        if not candidates:
            return
        self.open_id = random.choice(candidates[:10])
        self.last_id = 0
        response = self.client.get(
            f"/chats/{self.open_id}/", headers=HTMX, name="chats conversation open"
        )
        self._follow(response.text)

    @task(2)
    def reply(self):
        if not self.open_id:
            return
        with self.post_form(
            f"/chats/{self.open_id}/reply/",
            {"text": random.choice(AGENT_REPLIES), "confirm": "on"},
            name="chats reply",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                # Another agent holds it (or it closed): what a person sees as a notice.
                response.failure("409 conflict: held by another agent or closed")
                self.open_id = None
            elif response.status_code != 204:
                response.failure(f"{response.status_code}: {(response.text or '')[:80]}")

    def _follow(self, html: str | None) -> None:
        found = AFTER.search(html or "")
        if found:
            self.last_id = int(found.group(1))


class SupervisorUser(Browser):
    fixed_count = count("LOAD_SUPERVISORS", 3)
    wait_time = between(2, 6)

    def on_start(self):
        self.log_in(next_login("supervisors"))

    @task(3)
    def inbox(self):
        self.client.get("/tickets/inbox/", name="tickets inbox")

    @task(1)
    def dashboard(self):
        self.client.get("/kpi/", name="kpi dashboard")

    @task(3)
    def alerts(self):
        self.client.get("/chats/alerts/", headers=HTMX, name="chats alerts poll")


class ImportUser(Browser):
    """Uploads the order report, watches the run to its end, and starts over."""

    fixed_count = count("LOAD_IMPORTERS", 1)
    wait_time = constant_pacing(1)

    def on_start(self):
        self.log_in(next_login("importer"))
        self.run_url = None

    @task
    def work(self):
        if self.run_url is None:
            self.upload()
            return
        response = self.client.get(self.run_url, headers=HTMX, name="orders import run poll")
        if response.status_code == 200 and STILL_RUNNING not in (response.text or ""):
            self.run_url = None

    def upload(self):
        self.client.get("/orders/import/", name="orders import page")
        spec = fixture()["import"]
        path = Path(spec["file"])
        with self.client.post(
            "/orders/import/",
            data={"shop": spec["shop"], "kind": "", "csrfmiddlewaretoken": self.csrf()},
            files={"file": (path.name, path.read_bytes(), "text/csv")},
            headers={"X-CSRFToken": self.csrf()},
            name="orders import upload",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            found = RUN_PAGE.search(response.headers.get("location", "") or "")
            if response.status_code != 302 or not found:
                response.failure(f"upload refused ({response.status_code})")
                return
            self.run_url = f"/orders/import/{found.group(1)}/"


class WebChatBuyer(Browser):
    fixed_count = count("LOAD_WEB_BUYERS", 16)
    wait_time = constant_pacing(1.5)

    def on_start(self):
        self.shop = random.choice(fixture()["channels"]["webchat"])["shop"]
        self.base = f"/c/{self.shop}/"
        page = self.client.get(self.base, name="buyer chat page")
        token = CSRF_FIELD.search(page.text or "")
        self.client.post(
            self.base,
            data={
                "nick": f"压测买家{RUN}-{uuid.uuid4().hex[:8]}",
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="buyer chat nick",
        )
        self.last_id = 0

    @task(6)
    def poll(self):
        response = self.client.get(
            f"{self.base}messages/?after={self.last_id}", headers=HTMX, name="buyer messages poll"
        )
        found = AFTER.search(response.text or "")
        if found:
            self.last_id = int(found.group(1))

    @task(1)
    def send(self):
        with self.post_form(
            f"{self.base}send/",
            {"text": random.choice(BUYER_MESSAGES)},
            name="buyer chat send",
            catch_response=True,
        ) as response:
            if response.status_code != 204:
                response.failure(f"{response.status_code}: {(response.text or '')[:80]}")


class BridgeBuyer(FastHttpUser):
    """Buyer messages relayed by a platform-messenger bridge (signed JSON)."""

    fixed_count = count("LOAD_BRIDGE_BUYERS", 4)
    wait_time = between(2, 6)

    def on_start(self):
        self.channel = random.choice(fixture()["channels"]["bridge"])
        self.nick = f"桥接买家{RUN}-{uuid.uuid4().hex[:8]}"

    @task
    def relay(self):
        body = json.dumps(
            {
                "message_id": uuid.uuid4().hex,
                "buyer_nick": self.nick,
                "text": random.choice(BUYER_MESSAGES),
                "sent_at": datetime.now(UTC).isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        self.client.post(
            f"/api/v1/channels/{self.channel['id']}/messages",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Helpdesk-Timestamp": timestamp,
                "X-Helpdesk-Signature": signature(self.channel["secret"], timestamp, body),
            },
            name="bridge inbound message",
        )
