"""nlets-audit: audit and attest DMV data sharing with immigration enforcement."""

__version__ = "0.1.0"
