"""The optional C extension (the native manifest scanner, manifest_tools/native.py); everything else is in
pyproject.toml. Declared here because setuptools' pyproject table for extensions is still experimental and
warns on every build. ``optional=True``: without a C compiler the build goes on and lint runs the pure-Python
path everywhere."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("manifest_tools._scan", ["manifest_tools/_scan.c"], optional=True, extra_compile_args=["-O2"])
    ]
)
