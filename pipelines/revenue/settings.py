"""Revenue (Stripe) source settings: tables, keys, column hints."""

from __future__ import annotations

from pipelines.common.hints import columns

DEFAULT_BASE_URL = "https://api.stripe.com"
SECRET = "sources.revenue.api_key"
STRIPE_VERSION = "2025-03-31.basil"  # sent as Stripe-Version
DEFAULT_INVOICE_LOOKBACK_DAYS = 35  # re-read a billing period of invoices (status changes)

KEY = ("id",)
CUSTOMER_COLUMNS = columns({
    "id": "text", "object": "text", "created": "bigint", "email": "text", "name": "text",
    "currency": "text", "delinquent": "bool", "metadata__segment": "text",
}, KEY)
SUBSCRIPTION_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "status": "text", "currency": "text",
    "created": "bigint", "start_date": "bigint", "current_period_start": "bigint",
    "current_period_end": "bigint", "cancel_at_period_end": "bool", "canceled_at": "bigint",
    "ended_at": "bigint", "trial_start": "bigint", "trial_end": "bigint",
    "discount__coupon__id": "text", "discount__coupon__percent_off": "double",
    "discount__coupon__amount_off": "bigint", "items__object": "text", "metadata__plan": "text",
}, KEY)
INVOICE_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "subscription": "text", "status": "text",
    "currency": "text", "created": "bigint", "period_start": "bigint", "period_end": "bigint",
    "subtotal": "bigint", "total": "bigint", "amount_paid": "bigint", "lines__object": "text",
}, KEY)
CREDIT_NOTE_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "invoice": "text", "currency": "text",
    "amount": "bigint", "created": "bigint", "reason": "text", "memo": "text", "status": "text",
    "metadata__kind": "text", "metadata__service": "text", "metadata__period": "text",
}, KEY)
