"""Start the web app: the patient chat at "/", the staff console at "/staff".

    python app.py [--host 127.0.0.1] [--port 7860] [--config assistant.yaml]

A thin entry point: settings and the pipeline load once, ui/ builds the app, uvicorn serves it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the patient chat and the staff console.")
    parser.add_argument("--host", default=os.environ.get("ASSISTANT_HOST", "127.0.0.1"), help="default 127.0.0.1 (this machine only)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ASSISTANT_PORT", "7860")))
    parser.add_argument("--config", help="the clinic's settings file (default: assistant.yaml here, or ASSISTANT_CONFIG)")
    args = parser.parse_args(argv)
    if args.config:
        if not os.path.isfile(args.config):
            print(f"error: --config {args.config}: no such file", file=sys.stderr)
            return 2
        os.environ["ASSISTANT_CONFIG"] = args.config
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    import uvicorn

    from assistant.pipeline import Pipeline
    from library.manifest import IndexNotFound
    from library.settings import get_settings
    from ui import create_app

    settings = get_settings()
    try:
        pipeline = Pipeline.load(settings)
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = create_app(settings, pipeline)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print(f"Patient chat:  http://{shown}:{args.port}/", flush=True)
    if app.state.staff_enabled:
        print(f"Staff console: http://{shown}:{args.port}/staff/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
