"""The API benchmark's baseline: a hello-world Flask app, served by gunicorn with deploy/gunicorn.conf.py.

gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:PORT bench.hello:app
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.post("/hello")
def hello_post():
    return jsonify(hello="world"), 201
