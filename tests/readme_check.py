"""Run every command and code sample of the README, in order, so it cannot drift.

    python3 tests/readme_check.py README.md BUILD-DIR PYTHON

The fenced blocks are taken in order:

- ```sh blocks run with bash -e -o pipefail from the repository's root, with
  DESTDIR pointing into a scratch directory so that an install goes there
  (pkg-config and the loader are pointed at it too);
- ```python blocks run with PYTHON and the just-built binding;
- ```c blocks are compiled against the staged install with pkg-config and run;
- a block right after `<!-- file: PATH -->` is written to PATH (under build/)
  instead, for a later block to read (a CSV an example imports);
- a block right after `<!-- same as: PATH -->` must equal that file of the
  repository (the C quick start is examples/quickstart.c, which a later
  block builds);
- a block right after `<!-- not run: REASON -->` is skipped, with the reason
  printed (`make check` cannot run itself);
- blocks of any other language (text, csv, ics) are not code and are left.

A failing block fails the check with its line in the README and its output.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\s*$")
MARK = re.compile(r"^<!--\s*(file|same as|not run):\s*(.+?)\s*-->\s*$")
# the sections the README must have, in this order (issue 7)
SECTIONS = ["Two commands", "Concepts", "Quick start (C)", "Quick start (Python)", "drillctl by example",
            "Data formats", "Subscribing to a feed", "Legal presets and their sources", "Benchmarks",
            "Known limits"]


def blocks(path):
    """(line, language, text, mark, mark_value) of each fenced block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i, mark = [], 0, None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m.group(1):
            start, lang, body = i + 1, m.group(1), []
            i += 1
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            out.append((start, lang, "\n".join(body) + "\n", mark[0] if mark else None, mark[1] if mark else None))
            mark = None
        else:
            mm = MARK.match(lines[i])
            if mm:
                mark = (mm.group(1), mm.group(2))
            elif lines[i].strip():
                mark = None
        i += 1
    return out


def main():
    readme, build, python = sys.argv[1], sys.argv[2], sys.argv[3]
    repo = os.path.dirname(os.path.abspath(readme))
    build = os.path.abspath(build)
    work = tempfile.mkdtemp(prefix="drill-readme-")
    stage = os.path.join(work, "stage")
    env = dict(os.environ)
    env.update(
        DESTDIR=stage,
        PYTHONPATH=os.path.join(build, "python"),
        PKG_CONFIG_PATH=os.pathsep.join(os.path.join(stage, p, "lib", "pkgconfig") for p in ("usr/local", "usr")),
        PKG_CONFIG_SYSROOT_DIR=stage,
        LD_LIBRARY_PATH=os.pathsep.join(os.path.join(stage, p, "lib") for p in ("usr/local", "usr")),
    )
    env.pop("MAKEFLAGS", None)
    env.pop("MFLAGS", None)
    env.pop("MAKELEVEL", None)
    # the library installed where the examples build against it
    subprocess.run(["make", "-C", repo, "--no-print-directory", "-s", "install", "DESTDIR=" + stage,
                    "prefix=/usr/local", "BUILD=" + build], check=True, env=env, stdout=subprocess.DEVNULL)
    with open(readme, encoding="utf-8") as f:
        headings = [line[3:].strip() for line in f if line.startswith("## ")]
    if [h for h in headings if h in SECTIONS] != SECTIONS:
        print("readme: the sections must be, in this order: %s; found %s" % (SECTIONS, headings))
        return 1
    ran = skipped = 0
    try:
        for line, lang, text, mark, value in blocks(readme):
            where = "%s:%d" % (os.path.basename(readme), line)
            if mark == "not run":
                print("readme: %s (%s) not run: %s" % (where, lang, value))
                skipped += 1
                continue
            if mark == "file":
                if not value.startswith("build/") or ".." in value:
                    print("readme: %s: files go under build/, not %s" % (where, value))
                    return 1
                target = os.path.join(repo, value)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
                continue
            if mark == "same as":
                with open(os.path.join(repo, value), encoding="utf-8") as f:
                    if f.read() != text:
                        print("readme: %s: the block differs from %s" % (where, value))
                        return 1
                print("readme: %s (%s) is %s" % (where, lang, value))
                ran += 1
                continue
            if lang == "sh":
                cmd = ["bash", "-e", "-o", "pipefail", "-c", text]
            elif lang == "python":
                cmd = [python, "-c", text]
            elif lang == "c":
                src = os.path.join(work, "readme-%d.c" % line)
                with open(src, "w", encoding="utf-8") as f:
                    f.write(text)
                cmd = ["sh", "-c", 'cc -std=c11 -Wall -Werror "$0" -o "$0.bin" $(pkg-config --cflags --libs libdrill)'
                       ' && "$0.bin"', src]
            else:
                continue
            r = subprocess.run(cmd, cwd=repo if lang in ("sh", "python") else work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
            if r.returncode != 0:
                sys.stdout.write(r.stdout[-4000:])
                print("readme: %s: the %s block failed (exit %d)" % (where, lang, r.returncode))
                return 1
            print("readme: %s (%s) ran" % (where, lang))
            ran += 1
        print("readme: %d blocks ran, %d not run (each says why)" % (ran, skipped))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
