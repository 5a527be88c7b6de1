"""Readers' comments: kept in git, sanitised, rendered, and fed by RSS."""
