"""The build: plan, state, pool, run, lock and progress."""
