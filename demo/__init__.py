"""`make demo`: start every process, seed the national register, drive a tender round through the real flows."""

from demo.main import run_demo

__all__ = ["run_demo"]
