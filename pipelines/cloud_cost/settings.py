"""Cloud cost (FOCUS exports) source settings: the FOCUS columns read, the raw table's hints,
the restatement key, the ISO 4217 currency codes (docs/sources/cloud_cost.md)."""

from __future__ import annotations

from typing import Any

DEFAULT_FILE_GLOB = "**/*"
# the export files read; anything else below the bucket (manifests, .json) is ignored
SUFFIXES = (".csv", ".csv.gz", ".parquet")
TABLE = "charges"
# a re-delivered billing period replaces the rows of this key (delete-insert merge)
RESTATEMENT_KEY = ("billing_period_start", "provider_name", "billing_account_id")
NULL_TEXTS = ("", "NULL")  # an empty cell, or the literal NULL of the FinOps Foundation samples

# FOCUS column -> (raw column, kind): kind is "text", "decimal" or "timestamp"
FOCUS_COLUMNS: dict[str, tuple[str, str]] = {
    "BillingAccountId": ("billing_account_id", "text"),
    "BillingAccountName": ("billing_account_name", "text"),
    "SubAccountId": ("sub_account_id", "text"),
    "SubAccountName": ("sub_account_name", "text"),
    "ProviderName": ("provider_name", "text"),
    "PublisherName": ("publisher_name", "text"),
    "InvoiceIssuerName": ("invoice_issuer_name", "text"),
    "BillingPeriodStart": ("billing_period_start", "timestamp"),
    "BillingPeriodEnd": ("billing_period_end", "timestamp"),
    "ChargePeriodStart": ("charge_period_start", "timestamp"),
    "ChargePeriodEnd": ("charge_period_end", "timestamp"),
    "RegionId": ("region_id", "text"),
    "RegionName": ("region_name", "text"),
    "AvailabilityZone": ("availability_zone", "text"),
    "ServiceCategory": ("service_category", "text"),
    "ServiceName": ("service_name", "text"),
    "ResourceId": ("resource_id", "text"),
    "ResourceName": ("resource_name", "text"),
    "ResourceType": ("resource_type", "text"),
    "SkuId": ("sku_id", "text"),
    "SkuPriceId": ("sku_price_id", "text"),
    "ConsumedQuantity": ("consumed_quantity", "decimal"),
    "ConsumedUnit": ("consumed_unit", "text"),
    "PricingQuantity": ("pricing_quantity", "decimal"),
    "PricingUnit": ("pricing_unit", "text"),
    "PricingCategory": ("pricing_category", "text"),
    "ListUnitPrice": ("list_unit_price", "decimal"),
    "ContractedUnitPrice": ("contracted_unit_price", "decimal"),
    "BilledCost": ("billed_cost", "decimal"),
    "EffectiveCost": ("effective_cost", "decimal"),
    "ListCost": ("list_cost", "decimal"),
    "ContractedCost": ("contracted_cost", "decimal"),
    "BillingCurrency": ("billing_currency", "text"),
    "ChargeCategory": ("charge_category", "text"),
    "ChargeClass": ("charge_class", "text"),
    "ChargeFrequency": ("charge_frequency", "text"),
    "ChargeDescription": ("charge_description", "text"),
    "CommitmentDiscountId": ("commitment_discount_id", "text"),
    "CommitmentDiscountType": ("commitment_discount_type", "text"),
    "CommitmentDiscountCategory": ("commitment_discount_category", "text"),
    "CommitmentDiscountStatus": ("commitment_discount_status", "text"),
    "Tags": ("tags", "json"),
}
# a later FOCUS name read when the file lacks the 1.0-1.2 one (FOCUS 1.3 renamed ProviderName)
ALIASES = {"ServiceProviderName": "ProviderName"}
# mandatory in FOCUS 1.0-1.2, and what the restatement key and the marts need: a file without
# one of them is refused, and so is a row where one of them is empty
REQUIRED = ("BillingAccountId", "ProviderName", "BillingPeriodStart", "BillingPeriodEnd",
            "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost", "ListCost",
            "ContractedCost", "BillingCurrency", "ChargeCategory", "ServiceCategory",
            "ServiceName")
# ... and a row must have a value in these; ListCost and ContractedCost may be empty in a row
# (real exports leave them empty, e.g. Oracle's rows of the FinOps Foundation sample): NULL
REQUIRED_VALUES = tuple(c for c in REQUIRED if c not in ("ListCost", "ContractedCost"))

DECIMAL_PLACES = 9  # decimal(38, 9): FOCUS costs and quantities in the billing currency

_HINT_TYPES = {"text": {"data_type": "text"}, "json": {"data_type": "text"},
               "timestamp": {"data_type": "timestamp"},
               "decimal": {"data_type": "decimal", "precision": 38, "scale": DECIMAL_PLACES}}


def _column(name: str, kind: str, nullable: bool = True) -> dict[str, Any]:
    return {"name": name, "nullable": nullable, **_HINT_TYPES[kind]}


CHARGE_COLUMNS: dict[str, dict[str, Any]] = {
    **{raw: _column(raw, kind, focus not in REQUIRED_VALUES)
       for focus, (raw, kind) in FOCUS_COLUMNS.items()},
    "source_file": _column("source_file", "text", False),
    "source_row": {"name": "source_row", "data_type": "bigint", "nullable": False},
    "file_modified_at": _column("file_modified_at", "timestamp", False),
}

# ISO 4217 currency codes in circulation (list one of the maintenance agency, SIX); fund,
# precious-metal and testing codes (XAU, XTS, XXX, ...) are not currencies anyone bills in
_ISO_4217_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217 = frozenset(_ISO_4217_CODES.split())
