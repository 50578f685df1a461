"""The HTTP edge: the FastAPI app, its routes, schemas, auth and error mapping."""
