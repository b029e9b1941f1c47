"""Fixtures for the simulator tests: small scenarios built in code, worlds cached per session."""

from __future__ import annotations

import pytest
from sim_helpers import SCENARIOS, scenario_with

from breadcrumbs.simulator.generate import generate
from breadcrumbs.simulator.scenario import Scenario, load_scenario
from breadcrumbs.simulator.world import World


@pytest.fixture(scope="session")
def base_world() -> World:
    return generate(scenario_with())


@pytest.fixture(scope="session")
def default_scenario() -> Scenario:
    return load_scenario(SCENARIOS / "default.yaml")


@pytest.fixture(scope="session")
def default_world(default_scenario: Scenario) -> World:
    return generate(default_scenario)


@pytest.fixture(scope="session")
def default_control(default_scenario: Scenario) -> World:
    """The default scenario without any fault (same seed)."""
    return generate(default_scenario.without_faults())


@pytest.fixture(scope="session")
def small_world() -> World:
    return generate(load_scenario(SCENARIOS / "small.yaml"))
