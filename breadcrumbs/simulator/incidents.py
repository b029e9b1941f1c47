"""PagerDuty incidents detected from the error rate of each service, with log entries."""

from __future__ import annotations

import random
from dataclasses import dataclass

from breadcrumbs.simulator.org import Org, Person
from breadcrumbs.simulator.rng import HOUR, iso, pd_id, rng_for, token
from breadcrumbs.simulator.scenario import Scenario
from breadcrumbs.simulator.signals import ServiceSignals

ERROR_THRESHOLD = 0.01  # page when the error rate stays above 1 % ...
DETECT_HOURS = 2  # ... for this many consecutive hours
RECOVER_HOURS = 2  # resolved after this many hours back below the threshold
ANNOTATIONS = ("Scaling out the service", "Rolling back the last change",
               "Looking at the dashboards, errors concentrated on one endpoint",
               "Customer support informed", "Mitigated, monitoring")


@dataclass
class Episode:
    service: str
    detected: int
    recovered: int | None  # start of the first healthy hour, None if still bad at the end
    peak_rate: float


def episodes(signals: ServiceSignals) -> list[Episode]:
    """Stretches where the error rate stays above the paging threshold."""
    out, bad, good, current = [], 0, 0, None
    for h, t in enumerate(signals.ts):
        rate = signals.error_rate(h)
        if rate > ERROR_THRESHOLD:
            bad, good = bad + 1, 0
            if current is None and bad >= DETECT_HOURS:
                current = Episode(signals.service, t, None, rate)
            if current is not None:
                current.peak_rate = max(current.peak_rate, rate)
        else:
            bad, good = 0, good + 1
            if current is not None and good >= RECOVER_HOURS:
                current.recovered = t - (RECOVER_HOURS - 1) * HOUR
                out.append(current)
                current = None
    if current is not None:
        out.append(current)
    return out


def simulate_incidents(scenario: Scenario, org: Org, signals: dict[str, ServiceSignals],
                       end: int) -> tuple[list[dict], dict[str, list[dict]], list[dict]]:
    """Incidents (oldest first), their log entries and the truth about each."""
    drafts = []
    for service in org.services:
        rng = rng_for(scenario.seed, "incidents", service.id)
        on_call = org.people[service.team_id]
        for episode in episodes(signals[service.id]):
            drafts.append(_incident(scenario, service.id, service.pagerduty_service_id,
                                    episode, on_call, rng, end))
    drafts.sort(key=lambda d: (d[0]["created_at"], d[0]["id"]))
    incidents, log_entries, truth = [], {}, []
    for number, (incident, entries, fact) in enumerate(drafts, start=1):
        incident["incident_number"] = number
        incidents.append(incident)
        log_entries[incident["id"]] = entries
        truth.append(fact)
    return incidents, log_entries, truth


def _incident(scenario: Scenario, service: str, pd_service: str, episode: Episode,
              on_call: list[Person], rng: random.Random, end: int) -> tuple[dict, list, dict]:
    u = [rng.random() for _ in range(8)]
    duration_h = ((episode.recovered or end) - episode.detected) / HOUR
    customer = u[0] < 0.08 + 0.45 * min(1.0, duration_h / 12)
    created = episode.detected + int((5 + 20 * u[1]) * 60)
    if customer:
        created += int((20 + 70 * u[2]) * 60)
    created = min(created, end - 60)
    resolved = None
    if episode.recovered is not None:
        resolved = max(created + 1200, episode.recovered + int((10 + 50 * u[3]) * 60))
        if resolved >= end:
            resolved = None
    acked = created + int((2 + 13 * u[4]) * 60)
    responder = on_call[int(u[5] * len(on_call))]
    priority = "P1" if episode.peak_rate > 0.05 else "P2" if episode.peak_rate > 0.02 else "P3"
    incident_id = pd_id("incident", service, created)
    status = "resolved" if resolved else ("acknowledged" if acked < end else "triggered")
    last_change = resolved or (acked if acked < end else created)
    incident = {
        "id": incident_id,
        "type": "incident",
        "incident_number": 0,
        "title": (f"{service}: customers report failed requests" if customer else
                  f"{service}: error rate above {ERROR_THRESHOLD:.0%} for {DETECT_HOURS} h"),
        "status": status,
        "urgency": "high" if priority in ("P1", "P2") else "low",
        "priority": {"id": pd_id("priority", priority), "summary": priority},
        "service": {"id": pd_service, "summary": service, "type": "service_reference"},
        "incident_type": {"name": "customer_reported" if customer else "incident_default"},
        "created_at": iso(created),
        "last_status_change_at": iso(last_change),
        "resolved_at": iso(resolved) if resolved else None,
        "html_url": f"https://{scenario.owner}.pagerduty.com/incidents/{incident_id}",
        # PagerDuty lists the current acknowledgements on the incident itself: empty once it
        # is resolved (or while triggered), so log entries stay the first source of ack times
        "acknowledgements": [{"at": iso(acked), "acknowledger": {
            "id": responder.pagerduty_id, "type": "user_reference",
            "summary": responder.name}}] if status == "acknowledged" else [],
    }
    person = {"id": responder.pagerduty_id, "type": "user_reference",
              "summary": responder.name}
    trigger_agent = ({"id": pd_id("support", scenario.owner), "type":
                      "integration_reference", "summary": "Support inbox"}
                     if customer else
                     {"id": pd_id("monitor", service), "type":
                      "integration_reference",
                      "summary": f"{service} monitoring"})
    steps = [("trigger", created, trigger_agent, "email" if customer else "monitoring",
              "Triggered through the email integration" if customer else
              "Triggered through the API")]
    if acked < end:
        steps.append(("acknowledge", acked, person, "web_ui", f"Acknowledged by {responder.name}"))
    note_at = acked + int((10 + 40 * u[6]) * 60)
    if u[6] < 0.6 and note_at < (resolved or end):
        steps.append(("annotate", note_at, person, "web_ui",
                      ANNOTATIONS[int(u[7] * len(ANNOTATIONS))]))
    if resolved:
        steps.append(("resolve", resolved, person, "web_ui", f"Resolved by {responder.name}"))
    entries = [{
        "id": "R" + token(13, incident_id, kind).upper(),
        "type": f"{kind}_log_entry",
        "created_at": iso(at),
        "agent": dict(agent),
        "channel": {"type": channel},
        "incident": {"id": incident_id, "type": "incident_reference"},
        "summary": summary,
    } for kind, at, agent, channel, summary in steps]
    fact = {"incident_id": incident_id, "service": service, "detected_at": iso(episode.detected),
            "customer_reported": customer, "peak_error_rate": round(episode.peak_rate, 4)}
    return incident, entries, fact
