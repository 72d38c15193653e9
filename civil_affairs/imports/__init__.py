"""The staged import shared by every registry import (see staged.py)."""
