from onward.api.tests.conftest import token_for

__all__ = ["token_for"]
