"""Revenue (Stripe) source settings: tables, keys, column hints."""

from __future__ import annotations

from pipelines.common.hints import columns

# The Stripe API version this source reads, sent as `Stripe-Version` on every request (the
# simulator serves exactly its shapes; docs/sources/revenue.md lists the fields read).
STRIPE_VERSION = "2026-09-30.endive"
DEFAULT_BASE_URL = "https://api.stripe.com"
SECRET = "sources.revenue.api_key"
DEFAULT_INVOICE_LOOKBACK_DAYS = 35  # re-read a billing period of invoices (status changes)

KEY = ("id",)
CUSTOMER_COLUMNS = columns({
    "id": "text", "object": "text", "created": "bigint", "email": "text", "name": "text",
    "currency": "text", "delinquent": "bool", "metadata__segment": "text", "livemode": "bool",
}, KEY)
SUBSCRIPTION_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "status": "text", "currency": "text",
    "created": "bigint", "start_date": "bigint", "cancel_at_period_end": "bool",
    "canceled_at": "bigint", "ended_at": "bigint", "trial_start": "bigint",
    "trial_end": "bigint", "items__object": "text", "metadata__plan": "text",
    "billing_cycle_anchor": "bigint", "livemode": "bool", "collection_method": "text",
    "cancel_at": "bigint", "items__has_more": "bool", "items__url": "text",
    "automatic_tax__enabled": "bool", "automatic_tax__disabled_reason": "text",
    "automatic_tax__liability__type": "text", "automatic_tax__liability__account": "text",
    "billing_mode__type": "text", "invoice_settings__description": "text",
    "invoice_settings__footer": "text", "invoice_settings__issuer__type": "text",
    "invoice_settings__issuer__account": "text",
}, KEY)
INVOICE_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "status": "text", "currency": "text",
    "created": "bigint", "period_start": "bigint", "period_end": "bigint",
    "subtotal": "bigint", "total": "bigint", "total_excluding_tax": "bigint",
    "amount_paid": "bigint", "parent__type": "text",
    "parent__subscription_details__subscription": "text", "lines__object": "text",
    "livemode": "bool", "billing_reason": "text", "collection_method": "text",
    "subtotal_excluding_tax": "bigint", "amount_due": "bigint", "amount_remaining": "bigint",
    "parent__quote_details__quote": "text", "lines__has_more": "bool", "lines__url": "text",
    "attempt_count": "bigint", "attempted": "bool", "auto_advance": "bool",
    "automatic_tax__enabled": "bool", "automatic_tax__disabled_reason": "text",
    "automatic_tax__liability__type": "text", "automatic_tax__liability__account": "text",
    "automatic_tax__provider": "text", "automatic_tax__status": "text",
    "issuer__type": "text", "issuer__account": "text",
    "payment_settings__default_mandate": "text",
    "status_transitions__finalized_at": "bigint",
    "status_transitions__marked_uncollectible_at": "bigint",
    "status_transitions__paid_at": "bigint", "status_transitions__voided_at": "bigint",
    "starting_balance": "bigint", "amount_overpaid": "bigint",
    "amount_paid_off_stripe": "bigint", "amount_shipping": "bigint",
    "post_payment_credit_notes_amount": "bigint", "pre_payment_credit_notes_amount": "bigint",
}, KEY)
# prices are listed with `expand[]=data.product` (the product's metadata may name the plan)
PRICE_EXPAND = ("data.product",)
PRICE_COLUMNS = columns({
    "id": "text", "object": "text", "active": "bool", "currency": "text", "created": "bigint",
    "lookup_key": "text", "metadata__plan": "text", "type": "text", "unit_amount": "bigint",
    "unit_amount_decimal": "text", "tax_behavior": "text", "recurring__interval": "text",
    "recurring__interval_count": "bigint", "product__id": "text", "product__name": "text",
    "product__metadata__plan": "text", "product__statement_descriptor": "text",
    "billing_scheme": "text", "livemode": "bool",
    "nickname": "text", "tiers_mode": "text", "custom_unit_amount__maximum": "bigint",
    "custom_unit_amount__minimum": "bigint", "custom_unit_amount__preset": "bigint",
    "recurring__meter": "text",
    "recurring__usage_type": "text", "transform_quantity__divide_by": "bigint",
    "transform_quantity__round": "text", "product__object": "text", "product__active": "bool",
    "product__created": "bigint", "product__updated": "bigint", "product__description": "text",
    "product__livemode": "bool", "product__package_dimensions__height": "double",
    "product__package_dimensions__length": "double",
    "product__package_dimensions__weight": "double",
    "product__package_dimensions__width": "double", "product__shippable": "bool",
    "product__tax_code": "text", "product__unit_label": "text", "product__url": "text",
}, KEY)
CREDIT_NOTE_COLUMNS = columns({
    "id": "text", "object": "text", "customer": "text", "invoice": "text", "currency": "text",
    "amount": "bigint", "created": "bigint", "reason": "text", "memo": "text", "status": "text",
    "metadata__kind": "text", "metadata__service": "text", "metadata__period": "text",
    "amount_shipping": "bigint", "discount_amount": "bigint", "livemode": "bool",
    "lines__object": "text", "lines__has_more": "bool", "lines__url": "text", "number": "text",
    "pdf": "text", "post_payment_amount": "bigint", "pre_payment_amount": "bigint",
    "subtotal": "bigint", "total": "bigint", "type": "text",
}, KEY)
