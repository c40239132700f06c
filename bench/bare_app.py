"""The ceiling: a bare Flask route, served under the same gunicorn settings as the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "<!doctype html><title>bare</title><p>ok</p>"
