"""Builds drill._capi for `pip install .` (pyproject.toml has the metadata).

SWIG wraps bindings/python/drill.i against libdrill's headers, and the
extension links the libdrill that pkg-config finds (`make install` puts
libdrill.pc there; PKG_CONFIG_PATH points elsewhere). Two ways to build
against a tree instead of an installed library:

    LIBDRILL_STATIC=build/libdrill.a   link that static library (and the
                                       tree's headers): the extension
                                       stands alone; `make install-python`
                                       does this
    (nothing installed, but build/libdrill.a exists: the same, by default)
"""

import os
import re
import shlex
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def read_version():
    with open(os.path.join(ROOT, "include", "drill", "version.h"), encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(r"#define DRILL_VERSION_%s (\d+)" % p, text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def pkg_config(*args):
    """pkg-config's words for args, or None if it fails."""
    tool = shlex.split(os.environ.get("PKG_CONFIG", "pkg-config"))
    try:
        out = subprocess.run([*tool, *args], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return shlex.split(out)


class BuildSwigExt(build_ext):
    """SWIG first (drill_wrap.c in the build folder, capi.py into the package), then the C."""

    def run(self):
        ext = self.extensions[0]
        static = os.environ.get("LIBDRILL_STATIC")
        if not static and pkg_config("--exists", "libdrill") is None and \
                os.path.exists(os.path.join(ROOT, "build", "libdrill.a")):
            static = os.path.join(ROOT, "build", "libdrill.a")
        if static:
            include = [os.path.join(ROOT, "include")]
            libs = pkg_config("--libs", "libical", "sqlite3", "uuid", "icu-uc") or \
                ["-lical", "-lsqlite3", "-luuid", "-licuuc"]
            libs = libs + ["-ldl"]
            ext.extra_objects = [os.path.abspath(static)]
        else:
            cflags = pkg_config("--cflags", "libdrill")
            libs = pkg_config("--libs", "libdrill")
            if cflags is None or libs is None:
                raise SystemExit("libdrill not found: `make install` it (pkg-config libdrill), set "
                                 "PKG_CONFIG_PATH, or build the tree first (`make lib`)")
            include = [w[2:] for w in cflags if w.startswith("-I")] or ["/usr/include"]
            ext.extra_compile_args += [w for w in cflags if not w.startswith("-I")]
            ext.runtime_library_dirs = [w[2:] for w in libs if w.startswith("-L")]
        ext.include_dirs += include
        ext.library_dirs += [w[2:] for w in libs if w.startswith("-L")]
        ext.libraries += [w[2:] for w in libs if w.startswith("-l")]
        ext.extra_link_args += [w for w in libs if not w.startswith(("-L", "-l"))]

        os.makedirs(self.build_temp, exist_ok=True)
        package = os.path.join(ROOT, "bindings", "python", "drill") if self.inplace else \
            os.path.join(self.build_lib, "drill")
        os.makedirs(package, exist_ok=True)
        wrap = os.path.join(self.build_temp, "drill_wrap.c")
        command = ["swig", "-python", "-doxygen"] + ["-I" + d for d in include] + \
            ["-outdir", package, "-o", wrap, os.path.join(ROOT, "bindings", "python", "drill.i")]
        self.announce(" ".join(command), level=2)
        subprocess.run(command, check=True)
        ext.sources = [wrap]
        super().run()


# setuptools' work files go under build/setuptools, not beside the sources
# (and not into make's build/ folder itself)
WORK = os.path.join("build", "setuptools")
os.makedirs(WORK, exist_ok=True)

setup(
    version=read_version(),
    options={"build": {"build_base": WORK}, "egg_info": {"egg_base": WORK}},
    ext_modules=[Extension("drill._capi", sources=["bindings/python/drill.i"],
                           extra_compile_args=["-std=c11", "-D_POSIX_C_SOURCE=200809L",
                                               "-Wno-unused-parameter", "-Wno-missing-field-initializers"])],
    cmdclass={"build_ext": BuildSwigExt},
)
