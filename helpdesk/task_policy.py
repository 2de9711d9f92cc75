"""How scheduled jobs retry: one policy, applied by name (``@shared_task(**RETRYING)``).

A job that is safe to run twice (upserts, constraint-guarded writes) is acknowledged late,
handed back if its worker dies, and retried with jittered backoff a few times."""

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "ignore_result": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}
