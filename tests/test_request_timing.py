"""Slow requests are logged with their endpoint and SQL statement count (SLOW_REQUEST_MS)."""

import logging


def test_a_slow_request_names_its_endpoint_and_statement_count(app, client, caplog):
    app.config["SLOW_REQUEST_MS"] = -1  # every request is "slow"
    with caplog.at_level(logging.WARNING, logger="app.main.timing"):
        assert client.get("/api/v1/zones").status_code == 200
    [line] = [r.getMessage() for r in caplog.records if r.name == "app.main.timing"]
    assert line.startswith("slow request GET api.zones: ")
    statements = int(line.split(" ms, ")[1].split(" ")[0])
    assert 1 <= statements <= 5


def test_a_fast_request_logs_nothing(app, client, caplog):
    with caplog.at_level(logging.WARNING, logger="app.main.timing"):
        client.get("/api/v1/zones")
    assert not [r for r in caplog.records if r.name == "app.main.timing"]
