"""Shop A's scheduled-message scripts, saved in the scripts library."""

from tests.scripts_lib.factories import make_script

BODIES = {
    "payment_reminder": "{buyer_nick}您好，订单{order_id}（{order_amount}元）已为您备好。",
    "delivery_followup": "{buyer_nick}您好，{courier}单号{tracking_number}应该很快送到，签收前请当面验货。",
    "receipt_followup": "{buyer_nick}您好，包裹收到了吧，商品用着怎么样？",
    "review_thanks": "{buyer_nick}您好，谢谢您给{shop_name}的好评！",
}


def install_scripts(shop, categories=tuple(BODIES)):
    return {
        category: make_script(
            shop.team,
            shop,
            code=f"job-{category[:8]}",
            category=category,
            title=category,
            body=BODIES[category],
        )
        for category in categories
    }
