"""Run by the DuckDB 1.1 interpreter: open a file read-only, answer one SQL per stdin line.

Prints `ready <duckdb version>` once the file is open, then one JSON line per query; the
connection stays open until stdin closes, like a BI tool holding the file.
"""

import json
import sys

import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
print("ready", duckdb.__version__, flush=True)
for line in sys.stdin:
    try:
        print(json.dumps({"rows": con.execute(line).fetchall()}, default=str), flush=True)
    except Exception as error:  # noqa: BLE001 - reported to the test
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
con.close()
