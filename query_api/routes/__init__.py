"""One router per resource; routes stay thin (primitives in, domain errors out)."""
