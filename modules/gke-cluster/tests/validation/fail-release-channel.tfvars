# expect: release_channel must be RAPID, REGULAR, STABLE or EXTENDED.
release_channel = "UNSPECIFIED"
