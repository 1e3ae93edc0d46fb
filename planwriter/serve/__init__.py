"""planwriter as a local HTTP service: the JSON API and the browser editor.

    from planwriter import Environment
    from planwriter.serve import create_app, Limits
    app = create_app(Environment(), token=None, limits=Limits(timeout=10))

``planwriter serve`` runs it with uvicorn.  Needs the ``serve`` extra
(``pip install 'planwriter[serve]'``).
"""
from .app import create_app
from .limits import Limits

__all__ = ["create_app", "Limits"]
