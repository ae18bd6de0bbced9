"""paperfeed: research-paper listings in, an archive, a static site and feeds out."""

__version__ = "0.1.0"
