"""Shop A's scheduled-message scripts, saved in the scripts library."""

from tests.scripts_lib.factories import make_script

BODIES = {
    "payment_reminder": "{buyer_nick}您好，订单{order_id}（{order_amount}元）已为您备好。",
    "delivery_followup": "{buyer_nick}您好，{courier}单号{tracking_number}应已送达，签收前请当面验货。",
    "review_thanks": "{buyer_nick}您好，感谢您在{shop_name}购物，期待您的好评。",
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
