"""Mattermost REST API v4 compatibility analysis for rustchat."""

__version__ = "0.1.0"
