"""Reports: the attestation PDF/A-3b with its embedded manifest, and the public report.

Nothing heavy is imported here: WeasyPrint is loaded by `app.report.pdf` (and the URL
fetcher) only when a PDF is made. The rendering modules: manifest (the attested data as
canonical JSON), context (what the templates show), html (Jinja2 templates), fetcher (the
only files WeasyPrint may read), pdf (rendering), demo (made-up answers for samples and benchmarks).
"""
