"""The API's routes, told apart by folder: `commands/` change state (POST, PUT, PATCH, DELETE),
`queries/` read it (GET). One router per resource in each; routes stay thin (primitives in,
domain errors out)."""
