from django import forms

from .models import Shop

SETTINGS_FIELDS = [
    "name",
    "courier_cutoff",
    "quiet_hours_start",
    "quiet_hours_end",
    "remind_after_minutes",
    "auto_close_hours",
    "free_shipping_threshold",
    "digest_interval_hours",
    "digest_email",
    "greeting_delay_seconds",
    "unanswered_alert_seconds",
    "idle_close_minutes",
    "chat_limit_per_agent",
    "erase_limit_percent",
    "erase_daily_count",
    "conversion_window_hours",
    "return_window_days",
    "simple_reply_hours",
    "complex_followup_hours",
    "business_hours_start",
    "business_hours_end",
    "sla_business_hours_only",
    "review_due_hours",
    "qa_sample_size",
]


class ShopSettingsForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = SETTINGS_FIELDS
        widgets = {
            f: forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            for f in [
                "courier_cutoff",
                "quiet_hours_start",
                "quiet_hours_end",
                "business_hours_start",
                "business_hours_end",
            ]
        }
