"""Redirects from a page's old addresses (e.g. a WordPress permalink) to its new one."""
