"""Renderers: pure functions from a Plan or Workspace to the text of generated files."""
