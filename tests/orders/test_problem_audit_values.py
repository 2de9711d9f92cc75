"""Problem events in the audit log read as words: the buyer's choice, the decision on
duplicate orders and the script sent show their labels, not the codes the services store."""

from audit.labels import present
from audit.models import AuditEvent


def _after(verb, key, value):
    event = AuditEvent(
        verb=verb,
        object_type="orders.problem",
        object_id="1",
        object_repr="#1",
        changes={key: [None, value]},
    )
    [row] = present([event])
    return [(c.field, c.after) for c in row.changes]


def test_problem_choices_decisions_and_scripts_read_as_words():
    assert _after("problem.stock_choice", "choice", "similar") == [("买家选择", "换相似款")]
    assert _after("problem.duplicate_settled", "decision", "merge") == [("决定", "合并发货")]
    assert _after("problem.script_sent", "script", "three_options") == [("话术", "缺货·三个方案")]


def test_a_courier_request_reads_as_its_kind_and_the_new_address():
    assert _after("order.courier_request", "courier_request", "redirect") == [
        ("快递申请", "改签（改派地址）")
    ]
    assert _after("order.courier_request", "new_address", "杭州市西湖区文三路1号") == [
        ("新地址", "杭州市西湖区文三路1号")
    ]
