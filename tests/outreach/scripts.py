"""The three scheduled-message scripts a shop writes in the scripts library."""

REMINDER_BODY = "{buyer_nick}您好，订单{order_id}（{order_amount}元）已为您备好。"
FOLLOWUP_BODY = "{buyer_nick}您好，{courier}单号{tracking_number}应已送达，签收前请当面验货。"
THANKS_BODY = "{buyer_nick}您好，感谢您在{shop_name}购物，期待您的好评。"

_scripts: dict = {}


def install_scripts(shop, categories=("payment_reminder", "delivery_followup", "review_thanks")):
    bodies = {
        "payment_reminder": REMINDER_BODY,
        "delivery_followup": FOLLOWUP_BODY,
        "review_thanks": THANKS_BODY,
    }
    for category in categories:
        _scripts[(shop.pk, category)] = bodies[category]
    return {category: bodies[category] for category in categories}
