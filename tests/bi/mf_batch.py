"""Answer many MetricFlow queries with one engine: what `mf query` does per call, without
paying its start-up (imports, project load, manifest, connection) once per query.

Run from a dbt project folder, as `mf` is: `python mf_batch.py REQUESTS.json ANSWERS.json`.
REQUESTS is a list of `{"metrics": [...], "group_by": [...]}`; ANSWERS the list of their rows,
each a dict of column name to value (numbers as floats, times as ISO text, NULL as None), in
the same order. It uses the same objects as dbt-metricflow's `mf query` (CLIConfiguration,
MetricFlowQueryRequest); `tests/bi/test_semantic_layer.py` still runs `mf query` and
`breadcrumbs mf` themselves for the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path


def plain(value: object) -> object:
    """A query result value as JSON: numbers as floats, dates and times as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def main(requests_path: str, answers_path: str) -> None:
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    config = CLIConfiguration()
    config.setup(configure_file_logging=False)
    answers = []
    for request in json.loads(Path(requests_path).read_text()):
        result = config.mf.query(mf_request=MetricFlowQueryRequest.create(
            metric_names=request["metrics"], group_by_names=request["group_by"]))
        frame = result.result_df
        columns = list(frame.column_names) if frame is not None else []
        rows = [] if frame is None else [
            {column: plain(value) for column, value in zip(columns, row, strict=True)}
            for row in frame.rows]
        answers.append(rows)
    Path(answers_path).write_text(json.dumps(answers))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
