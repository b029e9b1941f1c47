"""The simulator's HTTP API: one module per real API (GitHub, PagerDuty, Stripe, Prometheus)."""
