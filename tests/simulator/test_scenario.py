"""Scenario files parse into both org forms and fail with the file, the key and the fix."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from sim_helpers import BASE, SCENARIOS

from breadcrumbs.simulator.scenario import Scenario, ScenarioError, load_scenario


def test_default_scenario_parses_explicit_org():
    scenario = load_scenario(SCENARIOS / "default.yaml")
    assert scenario.name == "default"
    assert scenario.start == date(2026, 5, 25) and scenario.days == 182
    assert [t.id for t in scenario.teams] == ["payments", "platform", "growth"]
    assert scenario.services[:2] == ("checkout", "billing-api")
    assert {p.id: p.price_cents for p in scenario.plans} == {
        "starter": 4900, "team": 19900, "enterprise": 150000}
    assert next(p for p in scenario.plans if p.id == "enterprise").sla == 0.999
    saturation = scenario.faults_of("cpu_saturation", "checkout")[0]
    assert saturation.days == 5 and saturation.end == date(2026, 8, 22)
    assert scenario.tokens == dict.fromkeys(
        ("github", "ci", "incidents", "revenue", "signals"), "sim-token")


def test_numeric_org_generates_stable_names():
    data = copy.deepcopy(BASE)
    data["org"] = {"teams": 3, "services_per_team": 2}
    data["customers"]["plans"] = {"only": {"price": 10, "services": "all"}}
    scenario = Scenario.from_dict(data)
    assert [t.id for t in scenario.teams] == ["payments", "platform", "growth"]
    assert scenario.services == ("payments-api", "payments-worker", "platform-api",
                                 "platform-worker", "growth-api", "growth-worker")
    assert scenario.plans[0].services == scenario.services


def test_scale_overrides_sizes():
    data = copy.deepcopy(BASE)
    data["scale"] = {"teams": 10, "services_per_team": 3, "days": 20, "customers": 999}
    data["customers"]["plans"] = {"only": {"price": 10, "services": 4}}
    scenario = Scenario.from_dict(data)
    assert len(scenario.teams) == 10 and len(scenario.services) == 30
    assert scenario.days == 20 and scenario.customers == 999
    assert scenario.teams[9].id == "team-010"


def test_auth_and_api_faults_are_kept():
    data = copy.deepcopy(BASE)
    data["auth"] = {"github": "gh-secret"}
    data["api_faults"] = [{"source": "github", "kind": "rate_limit", "rate": 0.2}]
    scenario = Scenario.from_dict(data)
    assert scenario.tokens["github"] == "gh-secret" and scenario.tokens["ci"] == "sim-token"
    assert scenario.api_faults == ({"source": "github", "kind": "rate_limit", "rate": 0.2},)


def test_flaky_tests_accepts_repo_or_service():
    for key, value in (("repo", "acme/checkout"), ("repo", "gateway"), ("service", "gateway")):
        data = copy.deepcopy(BASE)
        data["faults"] = [{"kind": "flaky_tests", key: value, "start": "2026-03-05",
                           "days": 3, "magnitude": 0.4}]
        assert Scenario.from_dict(data).faults[0].target == value.split("/")[-1]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["faults"].append({"kind": "cpu_saturation", "service": "chekout",
                                   "start": "2026-03-05", "days": 2, "magnitude": 0.4}),
     "x.yaml: faults[0].service 'chekout' is not a service (known: checkout, billing-api, "
     "gateway)"),
    (lambda d: d["faults"].append({"kind": "meltdown", "service": "checkout"}),
     "x.yaml: faults[0].kind 'meltdown' is not a fault kind (known: traffic_surge"),
    (lambda d: d["faults"].append({"kind": "churn_wave", "plan": "gold", "start": "2026-03-05",
                                   "days": 2, "magnitude": 0.4}),
     "faults[0].plan 'gold' is not a plan (known: starter, team, enterprise)"),
    (lambda d: d["faults"].append({"kind": "large_prs", "team": "payments",
                                   "start": "2027-03-05", "days": 2, "magnitude": 0.4}),
     "faults[0].start 2027-03-05 is outside the simulated period"),
    (lambda d: d.update(start="2026-13-01"), "x.yaml: start must be a date like 2026-01-05"),
    (lambda d: d.update(colour="red"), "x.yaml: scenario has unknown key 'colour'"),
    (lambda d: d["org"]["teams"][0].update(lead="ana"),
     "org.teams[0] has unknown key 'lead' (allowed: engineers, id, services)"),
    (lambda d: d["customers"]["plans"]["team"]["services"].append("search"),
     "customers.plans.team.services[2] 'search' is not a service"),
    (lambda d: d["org"]["teams"][1]["services"].append("checkout"),
     "org.teams[1].services[1] 'checkout' is used twice"),
    (lambda d: d.update(auth={"jira": "x"}), "auth has unknown key 'jira'"),
    (lambda d: d.update(days="many"), "days must be an integer"),
    (lambda d: d.pop("seed"), "scenario is missing the key 'seed'"),
])
def test_validation_errors_name_file_key_and_fix(change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data, source="scenarios/x.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("scenarios/x.yaml: ")


def test_load_scenario_reports_bad_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("seed: [1,\n")
    with pytest.raises(ScenarioError, match="broken.yaml: not valid YAML"):
        load_scenario(path)


def test_small_scenario_parses():
    scenario = load_scenario(SCENARIOS / "small.yaml")
    assert scenario.days == 35 and len(scenario.services) == 3 and scenario.customers == 60
    assert [f.kind for f in scenario.faults] == ["cpu_saturation"]


def test_api_faults_need_a_known_source():
    data = copy.deepcopy(BASE)
    data["api_faults"] = [{"kind": "rate_limit", "rate": 0.2}]
    with pytest.raises(ScenarioError, match=r"api_faults\[0\] must be a mapping \{source"):
        Scenario.from_dict(data)
    data["api_faults"] = [{"source": "jira", "kind": "rate_limit"}]
    with pytest.raises(ScenarioError, match="api_faults.0..source 'jira' is not a source"):
        Scenario.from_dict(data)
