"""The only way WeasyPrint may read anything: files inside the bundled templates folder.

WeasyPrint follows URLs in stylesheets, images, `<link rel=attachment>` and more. Its own
fetcher (even limited to `file:`) will embed any local file or call any server, so this one
resolves every URL to a real path and serves it only when it lies inside the templates
folder and has an asset suffix; everything else (other files, `http(s):`, `data:`, `ftp:`,
paths with `..` or symlinks out of the folder) is refused and stops the render.

Importing this module imports WeasyPrint: import it only where a PDF is made.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSET_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class RefusedURL(FatalURLFetchingError):
    """A URL that is not a bundled template asset: the render stops."""

    def __init__(self, url: str, why: str):
        super().__init__(f"refused to load {_short(url)}: {why}")
        self.url = url
        self.why = why


class TemplateAssetFetcher(URLFetcher):
    """Serve files from one folder (the templates) and refuse every other URL."""

    def __init__(self, root: str | Path):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False,
                         fail_on_errors=True)
        self.root = Path(root).resolve(strict=True)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):  # noqa: D102 - documented on the class
        try:
            path = self.resolve(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        content_type = ASSET_TYPES[path.suffix.lower()]
        self.served.append(path.relative_to(self.root).as_posix())
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": content_type})

    def resolve(self, url: str) -> Path:
        """The asset file `url` names, or RefusedURL saying why it is not allowed."""
        parts = urlsplit(str(url))
        if parts.scheme.lower() != "file":
            raise RefusedURL(url, f"only bundled template files are loaded, not "
                                  f"{parts.scheme or 'relative'}: URLs")
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(url, "a file URL with a host")
        try:
            path = Path(unquote(parts.path, errors="strict"))
        except UnicodeDecodeError:
            raise RefusedURL(url, "the path is not UTF-8") from None
        if "\x00" in str(path) or not path.is_absolute():
            raise RefusedURL(url, "not an absolute file path")
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise RefusedURL(url, "no such template asset") from None
        if not resolved.is_relative_to(self.root):
            raise RefusedURL(url, "outside the templates folder")
        if any(part.startswith(".") for part in resolved.relative_to(self.root).parts):
            raise RefusedURL(url, "a hidden file")
        if resolved.suffix.lower() not in ASSET_TYPES:
            raise RefusedURL(url, f"not an asset type ({', '.join(sorted(ASSET_TYPES))})")
        if not resolved.is_file():
            raise RefusedURL(url, "not a regular file")
        return resolved


def _short(url: str) -> str:
    text = str(url)
    return repr(text if len(text) <= 120 else text[:117] + "...")
