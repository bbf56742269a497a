"""python -m bench.baseline --port N: run the baseline bot on 127.0.0.1."""

import argparse

from aiohttp import web

from bench.baseline.app import DefaultConfig, create_app

if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.baseline")
    parser.add_argument("--port", type=int, default=DefaultConfig.PORT)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    web.run_app(create_app(DefaultConfig()), host=args.host, port=args.port, print=None, access_log=None)
