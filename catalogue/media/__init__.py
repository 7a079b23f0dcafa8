"""Device images: safe processing (``processing``, Pillow only), files (``storage``), the
gallery in the database (``images``) and the upload and removal flow (``uploads``)."""
