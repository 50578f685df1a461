"""Write side: the Event aggregate, its invariants and the commands that append to it."""
