"""Logic behind the site's MkDocs hooks.

Every module here is plain Python: functions take data and return data, and
none of them keeps state between calls. The hook files one folder up are the
only place where MkDocs events are handled; they stay a few lines long and
call into this package.
"""
