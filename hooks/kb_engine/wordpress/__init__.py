"""Moving a WordPress blog here: read a WXR export, convert it, plan and write the files."""
