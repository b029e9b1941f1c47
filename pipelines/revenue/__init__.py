"""Stripe: customers, subscriptions (all statuses), invoices (incremental), credit notes and
prices (product expanded), read at the pinned API version `settings.STRIPE_VERSION`."""

from __future__ import annotations

from collections.abc import Iterator

import dlt
from dlt.sources import DltResource

from pipelines.common import ApiClient, RetryPolicy
from pipelines.common.unchanged import only_changed
from pipelines.revenue import settings as s
from pipelines.revenue.helpers import expand_params, listing, stripe_client


@dlt.source(name="revenue")
def revenue(base_url: str = s.DEFAULT_BASE_URL, api_key: str = dlt.secrets.value,
            invoice_lookback_days: int = s.DEFAULT_INVOICE_LOOKBACK_DAYS,
            retry: RetryPolicy | None = None) -> list[DltResource]:
    """The five Stripe lists the revenue models need."""
    client = stripe_client(base_url, api_key, s.SECRET, retry, s.STRIPE_VERSION)
    lag = invoice_lookback_days * 86400
    cursor = dlt.sources.incremental("created", initial_value=None, lag=lag)
    return [customers(client), subscriptions(client), invoices(client, lag, created=cursor),
            credit_notes(client), prices(client)]


@dlt.resource(name="customers", primary_key=s.KEY, write_disposition="merge",
              columns=s.CUSTOMER_COLUMNS)
def customers(client: ApiClient) -> Iterator[list[dict]]:
    """Every customer (full reload, merged)."""
    yield from only_changed(listing(client, "customers", s.CUSTOMER_COLUMNS))


@dlt.resource(name="subscriptions", primary_key=s.KEY, write_disposition="merge",
              columns=s.SUBSCRIPTION_COLUMNS)
def subscriptions(client: ApiClient) -> Iterator[list[dict]]:
    """Every subscription, canceled ones included (`status=all`)."""
    yield from only_changed(listing(client, "subscriptions", s.SUBSCRIPTION_COLUMNS,
                                    {"status": "all"}))


@dlt.resource(name="invoices", primary_key=s.KEY, write_disposition="merge",
              columns=s.INVOICE_COLUMNS)
def invoices(client: ApiClient, lookback_seconds: int,
             created: dlt.sources.incremental[int] = dlt.sources.incremental(  # noqa: B008
                 "created", initial_value=None)) -> Iterator[list[dict]]:
    """Invoices created since the cursor minus a lookback (`created[gte]=`): status changes
    of recent invoices (open → paid) are picked up."""
    since = created.start_value
    params = {"created[gte]": since - lookback_seconds} if since else {}
    yield from only_changed(listing(client, "invoices", s.INVOICE_COLUMNS, params),
                            keep="since", time_field="created",
                            since=params.get("created[gte]"))


@dlt.resource(name="credit_notes", primary_key=s.KEY, write_disposition="merge",
              columns=s.CREDIT_NOTE_COLUMNS)
def credit_notes(client: ApiClient) -> Iterator[list[dict]]:
    """Every credit note (full reload, merged)."""
    yield from only_changed(listing(client, "credit_notes", s.CREDIT_NOTE_COLUMNS))


@dlt.resource(name="prices", primary_key=s.KEY, write_disposition="merge",
              columns=s.PRICE_COLUMNS)
def prices(client: ApiClient) -> Iterator[list[dict]]:
    """Every price, active or archived (an invoice line names the price it billed, which may
    be archived since), with its product expanded (`expand[]=data.product`)."""
    yield from only_changed(listing(client, "prices", s.PRICE_COLUMNS,
                                    expand_params(s.PRICE_EXPAND)))
