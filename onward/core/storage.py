from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; ES module imports are rewritten to the hashed names too."""

    support_js_module_import_aggregation = True
    manifest_strict = True
