"""One module per documented API family, and admin.py for the control API."""
