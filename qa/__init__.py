"""copydesk: quality assurance for machine-translated news articles.

The engine. It never imports Textual (tests/test_architecture.py keeps it so).
"""
__version__ = "0.1.0"
