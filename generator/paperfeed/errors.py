"""The exception tree and the exit codes the CLI maps it to.

Every error a user can cause is a PaperfeedError: its message says what went wrong, where,
and what to do, on one line. Anything else reaching the CLI is a bug and gets a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INPUT = 1  # bad input, data, configuration or source: the user can fix it
EXIT_USAGE = 2  # wrong command-line arguments (argparse's own code)
EXIT_BUG = 70  # anything else: a bug in paperfeed (EX_SOFTWARE)


class PaperfeedError(Exception):
    """An error the user can act on; str(error) is the whole one-line message."""


class ConfigError(PaperfeedError):
    """The configuration file is missing, unreadable or invalid."""


class ListingError(PaperfeedError):
    """A listing's text does not have the expected format."""


class SourceError(PaperfeedError):
    """A listing could not be fetched, or its payload could not be understood."""


class NotFound(SourceError):
    """The server answered that the page does not exist (HTTP 404 or 410)."""


class ArchiveError(PaperfeedError):
    """The archive under data/ cannot be read or written."""


class OutputError(PaperfeedError):
    """Generated pages, feeds or the site cannot be written or built."""


class LikesError(PaperfeedError):
    """A likes or dislikes file cannot be read."""
