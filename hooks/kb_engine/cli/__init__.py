"""Command-line front ends: argument parsing and output only.

Each module here parses its arguments, calls the plain functions in ``kb``
and turns their results into lines on stdout/stderr and an exit status:
0 when all is well, 1 when the content has problems (one
``file:line: message`` line each on stderr), 2 for a wrong command line.
"""
