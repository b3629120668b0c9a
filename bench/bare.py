"""The bare endpoint bench/load.py measures Onestop against: Flask parsing the same JSON."""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/bare")
def bare():
    body = request.get_json()
    return jsonify({"received": len(body.get("appointments", []))}), 201


@app.get("/healthz")
def healthz():
    return "ok"
