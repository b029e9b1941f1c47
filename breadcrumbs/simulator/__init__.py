"""Deterministic simulated organisation served as real API shapes on 127.0.0.1."""
