"""``python -m kb_engine.compat``: the installed versions and digests of what the engine borrows."""

from kb_engine.compat import main

main()
