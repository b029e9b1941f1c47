"""Stripe objects in the shapes of the API version the revenue source pins
(`pipelines.revenue.settings.STRIPE_VERSION`): since 2025-03-31.basil invoice line items carry
`pricing` and `parent` (no `price`, `plan`, `proration`), invoices name their subscription in
`parent.subscription_details`, and billing periods live on the subscription items.
See docs/sources/revenue.md."""

from __future__ import annotations

AUTOMATIC_TAX_OFF = {"enabled": False, "disabled_reason": None, "liability": None,
                     "provider": None, "status": None}


def customer(customer_id: str, created: int, email: str | None, name: str | None,
             metadata: dict | None = None, currency: str | None = "usd") -> dict:
    """A Customer as the list returns it (no expansions)."""
    return {"id": customer_id, "object": "customer", "created": created, "email": email,
            "name": name, "currency": currency, "delinquent": False, "livemode": False,
            "metadata": metadata or {}}


def subscription(subscription_id: str, customer_id: str, status: str, created: int,
                 anchor: int, items: list[dict], metadata: dict | None = None,
                 **dates: int | bool | None) -> dict:
    """A Subscription; `dates` are cancel_at_period_end, canceled_at, ended_at, trial_start,
    trial_end. Billing periods are on the items."""
    return {
        "id": subscription_id, "object": "subscription", "customer": customer_id,
        "status": status, "currency": "usd", "created": created, "start_date": created,
        "billing_cycle_anchor": anchor, "livemode": False,
        "collection_method": "charge_automatically",
        "automatic_tax": {"enabled": False, "disabled_reason": None, "liability": None},
        "billing_mode": {"type": "classic"}, "billing_schedules": [],
        "invoice_settings": {"description": None, "footer": None, "issuer": {"type": "self"}},
        "cancel_at": None, "cancel_at_period_end": bool(dates.get("cancel_at_period_end")),
        "canceled_at": dates.get("canceled_at"), "ended_at": dates.get("ended_at"),
        "trial_start": dates.get("trial_start"), "trial_end": dates.get("trial_end"),
        "discounts": [],
        "items": {"object": "list", "has_more": False,
                  "url": f"/v1/subscription_items?subscription={subscription_id}",
                  "data": items},
        "metadata": metadata or {},
    }


def credit_note(credit_note_id: str, customer_id: str, invoice_id: str, amount: int,
                created: int, memo: str | None, metadata: dict | None = None,
                reason: str | None = "order_change", status: str = "issued") -> dict:
    """A credit note of one custom line (a service credit), issued after payment."""
    return {
        "id": credit_note_id, "object": "credit_note", "customer": customer_id,
        "invoice": invoice_id, "currency": "usd", "amount": amount, "amount_shipping": 0,
        "created": created, "discount_amount": 0, "discount_amounts": [], "livemode": False,
        "lines": {"object": "list", "has_more": False,
                  "url": f"/v1/credit_notes/{credit_note_id}/lines", "data": []},
        "memo": memo, "metadata": metadata or {}, "number": "CN-" + credit_note_id[-8:],
        "pdf": f"https://pay.stripe.com/credit_notes/{credit_note_id}/pdf",
        "post_payment_amount": amount, "pre_payment_amount": 0, "pretax_credit_amounts": [],
        "reason": reason, "refunds": [], "status": status, "subtotal": amount,
        "total": amount, "type": "post_payment",
    }


def product(product_id: str, name: str, created: int, metadata: dict | None = None) -> dict:
    """A Product (returned expanded inside a price with `expand[]=data.product`)."""
    return {"id": product_id, "object": "product", "active": True, "created": created,
            "updated": created, "description": None, "images": [], "livemode": False,
            "marketing_features": [], "metadata": metadata or {}, "name": name,
            "package_dimensions": None, "shippable": None, "statement_descriptor": None,
            "tax_code": None, "unit_label": "seat", "url": None}


def price(price_id: str, product_obj: dict, amount: int, created: int,
          lookup_key: str | None, currency: str = "usd",
          tax_behavior: str = "exclusive") -> dict:
    """A monthly per-seat recurring Price; `product` is the full product (collapse it to its
    id with `collapsed`)."""
    return {"id": price_id, "object": "price", "active": True, "billing_scheme": "per_unit",
            "created": created, "currency": currency, "custom_unit_amount": None,
            "livemode": False, "lookup_key": lookup_key, "metadata": {}, "nickname": None,
            "product": product_obj,
            "recurring": {"interval": "month", "interval_count": 1, "meter": None,
                          "usage_type": "licensed"},
            "tax_behavior": tax_behavior, "tiers_mode": None, "transform_quantity": None,
            "type": "recurring", "unit_amount": amount, "unit_amount_decimal": str(amount)}


def collapsed(price_obj: dict) -> dict:
    """The price as Stripe embeds it without expansion: `product` is the product id."""
    product_field = price_obj["product"]
    return {**price_obj, "product": product_field["id"] if isinstance(product_field, dict)
            else product_field}


def subscription_item(item_id: str, subscription_id: str, price_obj: dict, quantity: int,
                      created: int, period_start: int, period_end: int) -> dict:
    """A subscription item; its billing period is its own (`current_period_*`)."""
    return {"id": item_id, "object": "subscription_item", "created": created,
            "current_period_start": period_start, "current_period_end": period_end,
            "discounts": [], "metadata": {}, "price": collapsed(price_obj),
            "quantity": quantity, "subscription": subscription_id, "tax_rates": []}


def invoice_line(line_id: str, invoice_id: str, subscription_id: str, item_id: str,
                 price_obj: dict, quantity: int, amount: int, period_start: int,
                 period_end: int, proration: bool = False, currency: str = "usd") -> dict:
    """A subscription invoice line item: `pricing.price_details` names price and product,
    `parent.subscription_item_details` the subscription, item and proration flag."""
    return {
        "id": line_id, "object": "line_item", "amount": amount, "currency": currency,
        "description": None, "discount_amounts": [], "discountable": True, "discounts": [],
        "invoice": invoice_id, "livemode": False, "metadata": {},
        "parent": {"type": "subscription_item_details", "invoice_item_details": None,
                   "subscription_item_details": {
                       "invoice_item": None, "proration": proration,
                       "proration_details": {"credited_items": None},
                       "subscription": subscription_id, "subscription_item": item_id}},
        "period": {"start": period_start, "end": period_end},
        "pretax_credit_amounts": [],
        "pricing": {"type": "price_details",
                    "price_details": {"price": price_obj["id"],
                                      "product": collapsed(price_obj)["product"]},
                    "unit_amount_decimal": price_obj["unit_amount_decimal"]},
        "quantity": quantity, "subtotal": amount, "taxes": [],
    }


def invoice(invoice_id: str, customer: str, subscription_id: str | None, created: int,
            period_start: int, period_end: int, lines: list[dict], status: str = "paid",
            tax: int = 0, tax_inclusive: bool = False, currency: str = "usd") -> dict:
    """An invoice of subscription lines, without discounts. `tax` is the invoice's tax amount;
    exclusive tax comes on top of the subtotal, inclusive tax is part of it."""
    subtotal = sum(line["amount"] for line in lines)
    total = subtotal if tax_inclusive else subtotal + tax
    paid = total if status == "paid" else 0
    parent = None
    if subscription_id is not None:
        parent = {"type": "subscription_details", "quote_details": None,
                  "subscription_details": {"metadata": {}, "subscription": subscription_id}}
    taxes = [] if not tax else [{
        "amount": tax, "tax_behavior": "inclusive" if tax_inclusive else "exclusive",
        "tax_rate_details": {"tax_rate": "txr_default"}, "taxability_reason": "standard_rated",
        "taxable_amount": subtotal - tax if tax_inclusive else subtotal,
        "type": "tax_rate_details"}]
    return {
        "id": invoice_id, "object": "invoice", "customer": customer, "status": status,
        "currency": currency, "created": created, "livemode": False, "metadata": {},
        "billing_reason": "subscription_cycle", "collection_method": "charge_automatically",
        "attempt_count": 1 if status == "paid" else 0, "attempted": status == "paid",
        "auto_advance": status == "open", "automatic_tax": AUTOMATIC_TAX_OFF,
        "default_tax_rates": [], "issuer": {"type": "self"},
        "payment_settings": {"default_mandate": None},
        "status_transitions": {"finalized_at": created, "marked_uncollectible_at": None,
                               "paid_at": created if status == "paid" else None,
                               "voided_at": None},
        "starting_balance": 0, "amount_overpaid": 0, "amount_paid_off_stripe": 0,
        "amount_shipping": 0, "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "period_start": period_start, "period_end": period_end,
        "subtotal": subtotal, "subtotal_excluding_tax": subtotal - tax if tax_inclusive
        else subtotal, "total": total, "total_excluding_tax": total - tax,
        "total_taxes": taxes, "total_discount_amounts": [], "discounts": [],
        "amount_due": total, "amount_paid": paid, "amount_remaining": total - paid,
        "parent": parent,
        "lines": {"object": "list", "data": lines, "has_more": False,
                  "url": f"/v1/invoices/{invoice_id}/lines"},
    }
