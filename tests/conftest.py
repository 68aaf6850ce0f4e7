"""Test-wide setup: the libraries must see the offline environment before they are imported."""
from settings import apply_offline_environment

apply_offline_environment()
