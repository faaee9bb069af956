"""The Agent API's functions, one module each (see ``conformance/host/registry.py``)."""
