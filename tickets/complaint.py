"""The six steps of handling a complaint (DOMAIN.md), each with a short script the agent
can adapt. The scripts are our own wording.

Step 3 (表明立场) states the shop's position and admits nothing: a parcel signed for with an
intact package weakens a later damage or shortage claim, so the script asks for evidence
instead of promising to bear the cost; any payout goes through a supervisor's approval."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ComplaintStep:
    code: str
    label: str
    script: str


STEPS: list[ComplaintStep] = [
    ComplaintStep(
        "soothe",
        _("安抚"),
        _("亲，给您添麻烦了，您的心情我们完全理解，请放心，这件事我会跟进到底。"),
    ),
    ComplaintStep(
        "find_cause",
        _("查明原因"),
        _("为了尽快帮您处理，麻烦您说一下收到时包裹外观如何，方便的话拍张照片给我们看看。"),
    ),
    ComplaintStep(
        "state_position",
        _("表明立场"),
        _(
            "我们每个包裹出库前都会核对件数并检查包装；签收时外包装完好的话，通常说明运输环节"
            "没有异常。麻烦您发几张商品和外包装的照片，我们核实清楚后给您答复。"
        ),
    ),
    ComplaintStep(
        "resolve",
        _("全力解决"),
        _("我们可以为您补发一件新的，或者按您的意愿办理退款，您看哪种方式更方便？"),
    ),
    ComplaintStep(
        "apologise",
        _("真诚道歉"),
        _("这次的购物体验没让您满意，真的很抱歉，我们会把问题反馈给仓库，避免再出现。"),
    ),
    ComplaintStep(
        "thank",
        _("感谢理解"),
        _("谢谢您的耐心和体谅，之后有任何问题随时找我，我的工号在对话里，报工号就能找到我。"),
    ),
]
STEP_CODES = [step.code for step in STEPS]


def complaint_buyer_texts():
    """The steps' sentences, for the etiquette check of every shipped text."""
    from scripts_lib.buyer_texts import BuyerText

    for step in STEPS:
        yield BuyerText("complaint", step.code, (str(step.script),))
