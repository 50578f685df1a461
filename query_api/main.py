"""The ASGI entry point: `uvicorn query_api.main:app`."""

from core.runtime import tune
from query_api.service.app import create_app

app = create_app()
tune()  # after the app is built: its objects are frozen with the modules'
