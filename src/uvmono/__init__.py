"""uvmono: the build planner for uv workspaces."""

__version__ = "0.1.0"
