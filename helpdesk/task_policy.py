"""How Celery tasks are acknowledged and retried: three policies, applied by name
(``@shared_task(**IDEMPOTENT_SWEEP)``). No task module writes these options itself;
tests/test_task_policy.py walks every registered task and checks it carries one of them.

Every policy acknowledges late and hands a task back when its worker dies, so every task
must be safe to run twice (upserts, constraint-guarded writes, outbox idempotency keys);
results are never read. The policies differ in what they retry:

- ``IDEMPOTENT_SWEEP``: a beat job that looks up what is due and works through it. Any
  error is retried a few times with jittered backoff; the next beat run starts over anyway.
- ``RETRY_TRANSIENT_ERRORS``: work on one object (a delivery, an assignment, an answer) or a
  buyer-messaging job. Only a database that went away for a moment is retried, with
  backoff up to five minutes; any other error is a refusal or a bug that a retry would
  repeat, and the object's beat sweep finds the work again.
- ``RETRIES_ITSELF``: the task catches its transient errors and calls ``self.retry()``,
  because the last failure must be recorded (an import run marked failed with a message).
  The policy only sets how many tries it gets; the task is declared with ``bind=True``.
"""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def _policy(name: str, **retries) -> dict:
    """Every retry option spelled out, so a task's options are the policy's and nothing
    else (``task_policy`` names it for the check)."""
    return {
        "task_policy": name,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "ignore_result": True,
        "retry_backoff_max": 600,
        **retries,
    }


IDEMPOTENT_SWEEP = _policy(
    "idempotent_sweep",
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=3,
)

RETRY_TRANSIENT_ERRORS = _policy(
    "retry_transient_errors",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)

RETRIES_ITSELF = _policy(
    "retries_itself",
    autoretry_for=(),
    retry_backoff=False,
    retry_jitter=False,
    max_retries=5,
)

POLICIES = {
    policy["task_policy"]: policy
    for policy in (IDEMPOTENT_SWEEP, RETRY_TRANSIENT_ERRORS, RETRIES_ITSELF)
}
