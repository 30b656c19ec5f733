"""The demo fixtures (`demo`, shared per class) live in the root conftest: the portal's tests use them too."""
